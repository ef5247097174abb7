import type { SpanContext } from '@opentelemetry/api';
import type { EncodedBatch } from '@threadline/core';
import { ProtobufWriter, REQUEST_ID_ATTRIBUTE, cutString, millisToHrTime, writeAnyValue, writeAttributes, writeScope } from '@threadline/core';

/*
 * Field numbers from opentelemetry/proto/collector/logs/v1 and logs/v1 (OTLP 1.x):
 * ExportLogsServiceRequest{1 resource_logs}; ResourceLogs{1 resource, 2 scope_logs};
 * ScopeLogs{1 scope, 2 log_records};
 * LogRecord{1 time_unix_nano, 11 observed_time_unix_nano, 2 severity_number, 3 severity_text,
 *           5 body, 6 attributes, 7 dropped_attributes_count, 8 flags, 9 trace_id, 10 span_id}.
 */

/** A record as Threadline's log sink hands it to OTLP export. */
export interface EncodableLogRecord {
  timeMillis: number;
  severityNumber: number;
  severityText: string;
  body: string;
  attributes: Record<string, unknown>;
  /** Written as the `request.id` attribute, in place of one among `attributes`. */
  requestId?: string | undefined;
  /** The active span's context, when there is a valid one. */
  spanContext: SpanContext | undefined;
}

export interface LogRecordLimits {
  attributeCountLimit: number;
  attributeValueLengthLimit: number;
}

function truncated(value: unknown, limit: number): unknown {
  if (typeof value === 'string') return cutString(value, limit);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? cutString(item, limit) : item));
  return value;
}

/**
 * The attributes within the log record limits, and how many were dropped. `writtenAfter` names
 * one attribute the caller writes after these: its slot of the count limit is kept, and an
 * attribute of that name among these is left out.
 */
function limitedAttributes(attributes: Record<string, unknown>, limits: LogRecordLimits, writtenAfter: string | undefined): { kept: Record<string, unknown>; dropped: number } {
  let kept: Record<string, unknown> | undefined;
  let count = 0;
  let dropped = 0;
  const countLimit = writtenAfter === undefined ? limits.attributeCountLimit : limits.attributeCountLimit - 1;
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    if (key === writtenAfter) {
      kept ??= { ...attributes };
      delete kept[key];
      continue;
    }
    if (count >= countLimit) {
      dropped++;
      kept ??= { ...attributes };
      delete kept[key];
      continue;
    }
    count++;
    const limitedValue = truncated(value, limits.attributeValueLengthLimit);
    if (limitedValue !== value) (kept ??= { ...attributes })[key] = limitedValue;
  }
  return { kept: kept ?? attributes, dropped };
}

/** Log records encoded as they are emitted; one resource and one scope per batch. */
export class LogBatch implements EncodedBatch<EncodableLogRecord> {
  private readonly records = new ProtobufWriter(16 * 1024);
  count = 0;

  constructor(
    private readonly resourceField: Uint8Array,
    private readonly scope: { name: string; version: string },
    private readonly limits: LogRecordLimits,
  ) {}

  get byteLength(): number {
    return this.records.length;
  }

  add(record: EncodableLogRecord): void {
    const writer = this.records;
    const before = writer.length;
    try {
      const time = millisToHrTime(record.timeMillis);
      const start = writer.begin(2);
      writer.hrTime(1, time).hrTime(11, time);
      writer.uint(2, record.severityNumber).string(3, record.severityText);
      const body = writer.begin(5);
      writeAnyValue(writer, record.body);
      writer.end(body);
      // With a count limit of 0 there is no slot for the request ID either.
      const requestId = this.limits.attributeCountLimit > 0 ? record.requestId : undefined;
      const { kept, dropped } = limitedAttributes(record.attributes, this.limits, requestId === undefined ? undefined : REQUEST_ID_ATTRIBUTE);
      writeAttributes(writer, 6, kept);
      if (requestId !== undefined) writeAttributes(writer, 6, { [REQUEST_ID_ATTRIBUTE]: cutString(requestId, this.limits.attributeValueLengthLimit) });
      if (dropped > 0) writer.uint(7, dropped);
      if (record.spanContext) {
        writer.fixed32(8, record.spanContext.traceFlags & 0xff);
        writer.hexBytes(9, record.spanContext.traceId).hexBytes(10, record.spanContext.spanId);
      }
      writer.end(start);
    } catch (error) {
      writer.truncate(before);
      throw error;
    }
    this.count++;
  }

  seal(): Uint8Array {
    const request = new ProtobufWriter(this.records.length + this.resourceField.length + 256);
    const resourceLogs = request.begin(1);
    request.raw(this.resourceField);
    const scopeLogs = request.begin(2);
    writeScope(request, 1, this.scope);
    request.raw(this.records.finish());
    request.end(scopeLogs);
    request.end(resourceLogs);
    return request.finish();
  }
}
