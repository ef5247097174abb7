import type { Attributes, Context, Link, Span, SpanKind, Tracer } from '@opentelemetry/api';
import { TraceFlags, isSpanContextValid, trace } from '@opentelemetry/api';
import type { SamplingResult } from '@opentelemetry/sdk-trace';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import type { HexBlockIdGenerator } from './id-generator';
import type { InstrumentationSampler } from './instrumentation-sampler';

const NO_LINKS: [] = [];

/**
 * Starts HTTP spans with the sampling decision taken first, from the method and path alone.
 * A request the sampler drops gets a non-recording span carrying real IDs (for log lines and
 * propagation) and nothing else: no attribute set is built, sanitized or copied, no span
 * object passes through the processors. A sampled request goes through the SDK's tracer as
 * before, with the trace ID and decision already drawn, so the sampler runs once.
 *
 *   const span = starter.unsampled(name, kind, parent, samplingAttributes)
 *     ?? starter.start(name, kind, parent, fullAttributes);
 */
export class SpanStarter {
  private decided: { parent: Context; result: SamplingResult } | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly sampler: InstrumentationSampler,
    private readonly ids: HexBlockIdGenerator,
  ) {}

  /** A non-recording span when the sampler drops this span; undefined when it is to be recorded. */
  unsampled(name: string, kind: SpanKind, parent: Context, samplingAttributes: Attributes): Span | undefined {
    const parentSpanContext = trace.getSpanContext(parent);
    const hasParent = parentSpanContext !== undefined && isSpanContextValid(parentSpanContext);
    const traceId = hasParent ? parentSpanContext.traceId : this.ids.generateTraceId();
    const result = this.sampler.shouldSample(parent, traceId, name, kind, samplingAttributes, NO_LINKS);
    if (result.decision === SamplingDecision.NOT_RECORD) {
      const traceState = result.traceState ?? (hasParent ? parentSpanContext.traceState : undefined);
      return trace.wrapSpanContext({ traceId, spanId: this.ids.generateSpanId(), traceFlags: TraceFlags.NONE, traceState });
    }
    // A root span's trace ID was drawn for the decision: the SDK must use the same one.
    if (!hasParent) this.ids.useNextTraceId(traceId);
    this.decided = { parent, result };
    return undefined;
  }

  /** The recorded span, right after `unsampled` returned undefined for the same parent. */
  start(name: string, kind: SpanKind, parent: Context, attributes: Attributes, links?: Link[]): Span {
    const decided = this.decided;
    this.decided = undefined;
    if (decided?.parent === parent) this.sampler.useNextResult(decided.result);
    try {
      return this.tracer.startSpan(name, { kind, attributes, links }, parent);
    } finally {
      this.sampler.useNextResult(undefined);
      this.ids.useNextTraceId(undefined);
    }
  }
}
