import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { SamplingDecision } from '@opentelemetry/sdk-trace';

/**
 * Spans that database clients open when they connect, outside of any request. As roots of
 * their own one-span traces they are noise, and instrumentation-redis opens them even with
 * `requireParentSpan`; inside a traced request they are kept, since they show connect latency.
 */
const CONNECTION_SPAN_NAMES = new Set(['redis-connect', 'pg.connect', 'pg-pool.connect']);

export class ConnectionNoiseSampler implements Sampler {
  constructor(private readonly delegate: Sampler) {}

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    if (CONNECTION_SPAN_NAMES.has(spanName) && !trace.getSpanContext(context)) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    return this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `ConnectionNoiseSampler{${this.delegate.toString()}}`;
  }
}
