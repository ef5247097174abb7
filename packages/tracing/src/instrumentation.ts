import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Diagnostics, ResolvedConfig } from '@threadline/core';
import type { SpanStarter } from './span-starter';

/** What every instrumentation gets: resolved once at start. */
export interface InstrumentationContext {
  provider: TracerProvider;
  tracer: Tracer;
  /** Starts HTTP spans with the sampling decision first (see span-starter.ts). */
  spans: SpanStarter;
  contextManager: AsyncLocalStorageContextManager;
  config: ResolvedConfig;
  diagnostics: Diagnostics;
}

/** Turns an instrumentation on; returns the function that turns it off. */
export type Instrumentation = (context: InstrumentationContext) => () => void;

/**
 * Runs instrumentation code on the app's hot path so that a bug in it can never reach the app:
 * the failure is counted and reported (rate-limited), the request goes on untraced.
 */
export function guarded<A extends unknown[], This = unknown>(
  diagnostics: Diagnostics,
  what: string,
  fn: (this: This, ...args: A) => void,
): (this: This, ...args: A) => void {
  return function (this: This, ...args: A) {
    try {
      fn.apply(this, args);
    } catch (error) {
      diagnostics.suppressed(`${what} instrumentation failed`, error);
    }
  };
}
