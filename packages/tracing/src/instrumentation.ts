import type { Tracer, TracerProvider } from '@opentelemetry/api';
import type { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { Diagnostics, ResolvedConfig } from '@threadline/core';

/** What every instrumentation gets: resolved once at start. */
export interface InstrumentationContext {
  provider: TracerProvider;
  tracer: Tracer;
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
export function guarded<A extends unknown[]>(diagnostics: Diagnostics, what: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    try {
      fn(...args);
    } catch (error) {
      diagnostics.suppressed(`${what} instrumentation failed`, error);
    }
  };
}
