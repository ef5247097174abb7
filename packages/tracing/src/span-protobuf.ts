import type { Link, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { ProtobufWriter, encodeResourceField, writeAttributes, writeScope } from '@threadline/core';

/*
 * Field numbers from opentelemetry/proto/collector/trace/v1 and trace/v1 (OTLP 1.x):
 * ExportTraceServiceRequest{1 resource_spans}; ResourceSpans{1 resource, 2 scope_spans, 3 schema_url};
 * ScopeSpans{1 scope, 2 spans, 3 schema_url};
 * Span{1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind, 7 start, 8 end,
 *      9 attributes, 10 dropped_attributes_count, 11 events, 12 dropped_events_count, 13 links,
 *      14 dropped_links_count, 15 status, 16 flags};
 * Event{1 time, 2 name, 3 attributes, 4 dropped_attributes_count};
 * Link{1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count, 6 flags};
 * Status{2 message, 3 code}.
 */

/** Span flags: bit 8 says whether bit 9 (the parent is remote) is known. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

const resourceFields = new WeakMap<Resource, Uint8Array>();

function resourceField(resource: Resource): Uint8Array {
  let encoded = resourceFields.get(resource);
  if (encoded === undefined) {
    encoded = encodeResourceField(resource.attributes);
    resourceFields.set(resource, encoded);
  }
  return encoded;
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

/** One `Span` message (with its tag, as field `field`). */
export function writeSpan(writer: ProtobufWriter, field: number, span: ReadableSpan): void {
  const start = writer.begin(field);
  const context = span.spanContext();
  writer.hexBytes(1, context.traceId).hexBytes(2, context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) writer.string(3, traceState);
  const parent = span.parentSpanContext;
  if (parent?.spanId) writer.hexBytes(4, parent.spanId);
  writer.string(5, span.name);
  // OTLP's SpanKind counts from 1 (0 is unspecified); the API's counts from 0.
  writer.uint(6, span.kind + 1);
  writer.hrTime(7, span.startTime).hrTime(8, span.endTime);
  writeAttributes(writer, 9, span.attributes);
  if (span.droppedAttributesCount) writer.uint(10, span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  if (span.droppedEventsCount) writer.uint(12, span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
  if (span.droppedLinksCount) writer.uint(14, span.droppedLinksCount);
  writeStatus(writer, span.status);
  writer.fixed32(16, spanFlags(context.traceFlags, parent?.isRemote));
  writer.end(start);
}

function writeEvent(writer: ProtobufWriter, event: TimedEvent): void {
  const start = writer.begin(11);
  writer.hrTime(1, event.time).string(2, event.name);
  if (event.attributes) writeAttributes(writer, 3, event.attributes);
  if (event.droppedAttributesCount) writer.uint(4, event.droppedAttributesCount);
  writer.end(start);
}

function writeLink(writer: ProtobufWriter, link: Link): void {
  const start = writer.begin(13);
  writer.hexBytes(1, link.context.traceId).hexBytes(2, link.context.spanId);
  const traceState = link.context.traceState?.serialize();
  if (traceState) writer.string(3, traceState);
  if (link.attributes) writeAttributes(writer, 4, link.attributes);
  if (link.droppedAttributesCount) writer.uint(5, link.droppedAttributesCount);
  writer.fixed32(6, spanFlags(link.context.traceFlags, link.context.isRemote));
  writer.end(start);
}

function writeStatus(writer: ProtobufWriter, status: SpanStatus): void {
  const start = writer.begin(15);
  if (status.message) writer.string(2, status.message);
  if (status.code) writer.uint(3, status.code);
  writer.end(start);
}

/**
 * Spans encoded as they end, grouped by resource and scope, until the batch is sealed into one
 * `ExportTraceServiceRequest`. Holding bytes instead of span objects keeps ended spans out of
 * the old generation, and each span is encoded once, in one pass.
 */
export class SpanBatch {
  private readonly groups = new Map<Resource, Map<Scope, ProtobufWriter>>();
  count = 0;
  /** Encoded bytes so far, for the queue's byte bound. */
  byteLength = 0;

  add(span: ReadableSpan): void {
    let scopes = this.groups.get(span.resource);
    if (scopes === undefined) {
      scopes = new Map();
      this.groups.set(span.resource, scopes);
    }
    let spans = scopes.get(span.instrumentationScope);
    if (spans === undefined) {
      spans = new ProtobufWriter(16 * 1024);
      scopes.set(span.instrumentationScope, spans);
    }
    const before = spans.length;
    try {
      writeSpan(spans, 2, span);
    } catch (error) {
      spans.truncate(before);
      throw error;
    }
    this.byteLength += spans.length - before;
    this.count++;
  }

  /** The export request; the batch is not added to afterwards. */
  seal(): Uint8Array {
    let size = 0;
    for (const scopes of this.groups.values()) for (const spans of scopes.values()) size += spans.length + 256;
    const request = new ProtobufWriter(size + 1024);
    for (const [resource, scopes] of this.groups) {
      const resourceSpans = request.begin(1);
      request.raw(resourceField(resource));
      for (const [scope, spans] of scopes) {
        const scopeSpans = request.begin(2);
        writeScope(request, 1, scope);
        request.raw(spans.finish());
        if (scope.schemaUrl) request.string(3, scope.schemaUrl);
        request.end(scopeSpans);
      }
      if (resource.schemaUrl) request.string(3, resource.schemaUrl);
      request.end(resourceSpans);
    }
    return request.finish();
  }
}
