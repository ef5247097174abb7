import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { Context, Histogram, Meter } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { HttpRequestEnd } from '@threadline/core';
import { HTTP_REQUEST_END_CHANNEL, getRequestContext } from '@threadline/core';
import type { ExemplarStore } from './exemplars';
import { DB_CLIENT_DURATION, DB_METRIC_ATTRIBUTES, DURATION_BUCKETS, HTTP_CLIENT_DURATION, HTTP_SERVER_DURATION } from './semantic-conventions';

const histogram = (meter: Meter, name: string, description: string): Histogram =>
  meter.createHistogram(name, { unit: 's', description, advice: { explicitBucketBoundaries: DURATION_BUCKETS } });

/**
 * HTTP server and client request durations, from the HTTP instrumentations' end-of-request
 * events (every request, sampled or not), with an exemplar for sampled ones. `getMeter` is
 * called on the first request, which is when the metrics SDK loads.
 */
export function recordHttpDurations(getMeter: () => Meter, exemplars: ExemplarStore): () => void {
  let server: Histogram | undefined;
  let client: Histogram | undefined;
  const onEnd = (message: unknown): void => {
    const event = message as HttpRequestEnd;
    const name = event.kind === 'server' ? HTTP_SERVER_DURATION : HTTP_CLIENT_DURATION;
    const instrument = event.kind === 'server'
      ? (server ??= histogram(getMeter(), HTTP_SERVER_DURATION, 'Duration of HTTP server requests.'))
      : (client ??= histogram(getMeter(), HTTP_CLIENT_DURATION, 'Duration of HTTP client requests.'));
    instrument.record(event.durationSeconds, event.attributes);
    if (event.spanContext) exemplars.offer(name, event.attributes, DURATION_BUCKETS, event.durationSeconds, event.spanContext, event.requestId);
  };
  diagnosticsChannel.subscribe(HTTP_REQUEST_END_CHANNEL.name, onEnd);
  return () => diagnosticsChannel.unsubscribe(HTTP_REQUEST_END_CHANNEL.name, onEnd);
}

/**
 * Database operation durations from the database client spans (the tracing side records them
 * even when not sampled, so the metric counts every operation); exemplars from sampled ones.
 */
export class DbDurationProcessor implements SpanProcessor {
  private instrument: Histogram | undefined;
  private readonly requestIds = new WeakMap<object, string>();

  constructor(
    private readonly getMeter: () => Meter,
    private readonly exemplars: ExemplarStore,
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
    this.instrument ??= histogram(this.getMeter(), DB_CLIENT_DURATION, 'Duration of database client operations.');
    this.instrument.record(seconds, attributes);
    const spanContext = span.spanContext();
    if (spanContext.traceFlags & 1) this.exemplars.offer(DB_CLIENT_DURATION, attributes, DURATION_BUCKETS, seconds, spanContext, this.requestIds.get(span));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
