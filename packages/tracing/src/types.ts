import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { SignalLifecycle } from '@threadline/core';

/** What `createTracing` hands back to the bootstrap (pending work: a sampled span ended). */
export interface Tracing extends SignalLifecycle {
  provider: TracerProvider;
}
