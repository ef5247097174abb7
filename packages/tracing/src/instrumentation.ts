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
