import type { Meter } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** What `createMetrics` hands back to the bootstrap. */
export interface Metrics {
  /** A meter of the service's provider (loads the metrics SDK on first call). */
  getMeter(name?: string): Meter;
  /** Records `db.client.operation.duration` from database spans; added to the tracer provider. */
  spanProcessor: SpanProcessor;
  /** True when something was measured since the last flush. */
  hasPendingWork(): boolean;
  exportFailures(): { count: number; lastError: string | undefined };
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
