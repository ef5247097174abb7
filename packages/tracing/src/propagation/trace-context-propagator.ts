import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { createContextKey, isSpanContextValid, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { RANDOM_FLAG, SAMPLED_FLAG, formatTraceParent, parseTraceParent } from './traceparent';
import { W3CTraceState } from './trace-state';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/** The trace an inbound request belonged to, and whether its caller said its ID is random. */
interface InboundTrace {
  traceId: string;
  random: boolean;
}
const INBOUND_TRACE_KEY = createContextKey('threadline.inbound-trace');

export interface TraceContextOptions {
  /**
   * Whether trace IDs started in this process are random (Threadline's ID generator draws them
   * from the CSPRNG), so traces it starts carry the Level 2 random flag.
   */
  localTraceIdsAreRandom: boolean;
}

/**
 * W3C Trace Context Level 2. The SDK keeps only the sampled flag on the spans it starts, so the
 * random flag of an inbound traceparent is remembered in the context at extraction and put
 * back on every traceparent this trace sends on.
 */
export class W3CTraceContextPropagator implements TextMapPropagator {
  constructor(private readonly options: TraceContextOptions) {}

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (!spanContext || !isSpanContextValid(spanContext) || isTracingSuppressed(context)) return;
    const inbound = context.getValue(INBOUND_TRACE_KEY) as InboundTrace | undefined;
    const random =
      (spanContext.traceFlags & RANDOM_FLAG) !== 0 ||
      (inbound?.traceId === spanContext.traceId ? inbound.random : this.options.localTraceIdsAreRandom);
    const flags = (spanContext.traceFlags & SAMPLED_FLAG) | (random ? RANDOM_FLAG : 0);
    setter.set(carrier, TRACEPARENT_HEADER, formatTraceParent(spanContext.traceId, spanContext.spanId, flags));
    const traceState = spanContext.traceState?.serialize();
    if (traceState) setter.set(carrier, TRACESTATE_HEADER, traceState);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const lines = headerLines(getter.get(carrier, TRACEPARENT_HEADER));
    // Two traceparent headers are as invalid as a malformed one.
    if (lines.length !== 1) return context;
    const parent = parseTraceParent(lines[0]!);
    if (!parent) return context;
    const traceState = W3CTraceState.parse(headerLines(getter.get(carrier, TRACESTATE_HEADER)));
    const inbound: InboundTrace = { traceId: parent.traceId, random: (parent.traceFlags & RANDOM_FLAG) !== 0 };
    return trace
      .setSpanContext(context, {
        traceId: parent.traceId,
        spanId: parent.parentId,
        traceFlags: parent.traceFlags,
        isRemote: true,
        traceState: traceState && traceState.size > 0 ? traceState : undefined,
      })
      .setValue(INBOUND_TRACE_KEY, inbound);
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}

/** A header's lines: Node joins repeated lines of most headers with ", ", other carriers give arrays. */
export function headerLines(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
