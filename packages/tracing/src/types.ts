import type { TracerProvider } from '@opentelemetry/sdk-trace';

/** What `createTracing` hands back to the bootstrap. */
export interface Tracing {
  provider: TracerProvider;
  /** True when a sampled span ended since the last flush. */
  hasPendingWork(): boolean;
  /** Failed OTLP exports since start, and the last reason. */
  exportFailures(): { count: number; lastError: string | undefined };
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}
