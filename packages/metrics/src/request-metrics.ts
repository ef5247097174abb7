import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Diagnostics, HttpRequestEnd } from '@threadline/core';
import { HTTP_REQUEST_END_CHANNEL, getRequestContext, guard } from '@threadline/core';
import type { DurationHistogram } from './duration-histograms';
import { DB_METRIC_ATTRIBUTES } from './semantic-conventions';

/**
 * HTTP server and client request durations, from the HTTP instrumentations' end-of-request
 * events (every request, sampled or not), with an exemplar for sampled ones.
 */
export function recordHttpDurations(server: DurationHistogram, client: DurationHistogram, onRecord: () => void, diagnostics: Diagnostics): () => void {
  // Guarded: Node re-throws a channel subscriber's error as an uncaughtException.
  const onEnd = guard(diagnostics, 'HTTP duration metrics', (message: unknown): void => {
    const event = message as HttpRequestEnd;
    onRecord();
    (event.kind === 'server' ? server : client).record(event.durationSeconds, event.attributes, event.spanContext, event.requestId);
  });
  diagnosticsChannel.subscribe(HTTP_REQUEST_END_CHANNEL.name, onEnd);
  return () => diagnosticsChannel.unsubscribe(HTTP_REQUEST_END_CHANNEL.name, onEnd);
}

/**
 * Database operation durations from the database client spans (the tracing side records them
 * even when not sampled, so the metric counts every operation); exemplars from sampled ones.
 */
export class DbDurationProcessor implements SpanProcessor {
  private readonly requestIds = new WeakMap<object, string>();

  constructor(
    private readonly histogram: DurationHistogram,
    private readonly onRecord: () => void,
  ) {}

  onStart(span: Span, parentContext: Context): void {
    const requestId = getRequestContext(parentContext)?.requestId;
    if (requestId && span.attributes['db.system.name'] !== undefined) this.requestIds.set(span, requestId);
  }

  onEnd(span: ReadableSpan): void {
    if (span.attributes['db.system.name'] === undefined) return;
    const attributes: Record<string, string | number> = {};
    for (const key of DB_METRIC_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value === 'string' || typeof value === 'number') attributes[key] = value;
    }
    if (span.status.code === 2 && attributes['error.type'] === undefined) attributes['error.type'] = '_OTHER';
    const seconds = span.duration[0] + span.duration[1] / 1e9;
    const spanContext = span.spanContext();
    this.onRecord();
    this.histogram.record(seconds, attributes, spanContext.traceFlags & 1 ? spanContext : undefined, this.requestIds.get(span));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
