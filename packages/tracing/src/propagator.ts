import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator } from '@opentelemetry/core';
import type { PropagatorName } from '@threadline/core';
import { W3CBaggagePropagator } from './propagation/baggage-propagator';
import { W3CTraceContextPropagator } from './propagation/trace-context-propagator';

/**
 * W3C trace-context (Level 2) and baggage, as named by `OTEL_PROPAGATORS`; an empty list
 * propagates nothing. `localTraceIdsAreRandom` is true when Threadline's CSPRNG ID generator
 * starts this process's traces.
 */
export function createPropagator(names: readonly PropagatorName[], localTraceIdsAreRandom = true): TextMapPropagator {
  const propagators: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') propagators.push(new W3CTraceContextPropagator({ localTraceIdsAreRandom }));
    else if (name === 'baggage') propagators.push(new W3CBaggagePropagator());
  }
  return new CompositePropagator({ propagators });
}
