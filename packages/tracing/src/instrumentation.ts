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
