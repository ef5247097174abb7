import type { Meter } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';
import type { SignalLifecycle } from '@threadline/core';

/** What `createMetrics` hands back to the bootstrap (pending work: something was measured). */
export interface Metrics extends SignalLifecycle {
  /** A meter of the service's provider (loads the metrics SDK on first call). */
  getMeter(name?: string): Meter;
  /** Records `db.client.operation.duration` from database spans; added to the tracer provider. */
  spanProcessor: SpanProcessor;
}
