import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { SamplingDecision } from '@opentelemetry/sdk-trace';

/**
 * Wraps the configured sampler with two rules for instrumentation spans:
 * - Spans that database clients open when they connect, outside of any request, are dropped:
 *   as roots of one-span traces they are noise, and instrumentation-redis opens them even with
 *   `requireParentSpan`. Inside a traced request they are kept (they show connect latency).
 * - Database operation spans the sampler drops are still recorded (not exported), so that
 *   `db.client.operation.duration` counts every operation whatever the sampling ratio.
 */
const CONNECTION_SPAN_NAMES = new Set(['redis-connect', 'pg.connect', 'pg-pool.connect']);

export class InstrumentationSampler implements Sampler {
  private nextResult: SamplingResult | undefined;

  constructor(private readonly delegate: Sampler) {}

  /** The result the next `shouldSample` returns: the decision was taken before the span started. */
  useNextResult(result: SamplingResult | undefined): void {
    this.nextResult = result;
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const preset = this.nextResult;
    if (preset !== undefined) {
      this.nextResult = undefined;
      return preset;
    }
    if (CONNECTION_SPAN_NAMES.has(spanName) && !trace.getSpanContext(context)) {
      return { decision: SamplingDecision.NOT_RECORD };
    }
    const result = this.delegate.shouldSample(context, traceId, spanName, spanKind, attributes, links);
    if (result.decision === SamplingDecision.NOT_RECORD && attributes['db.system.name'] !== undefined) {
      return { ...result, decision: SamplingDecision.RECORD };
    }
    return result;
  }

  toString(): string {
    return `InstrumentationSampler{${this.delegate.toString()}}`;
  }
}
