import type { LifecycleResult, ResolvedConfig } from '@threadline/core';

/** What `start()` returns. Its methods resolve with how they ended; they never reject. */
export interface ThreadlineHandle {
  /** The configuration in force (code options > `OTEL_*` environment > defaults). */
  readonly config: ResolvedConfig;
  /** Exports everything recorded so far, within the shutdown timeout. */
  forceFlush(): Promise<LifecycleResult>;
  /** Flushes, stops exporting and removes the process hooks. Later calls return the first result. */
  shutdown(): Promise<LifecycleResult>;
}
