import type { InstrumentationName } from '@threadline/core';
import { instrumentFastify } from './http/fastify-route';
import { instrumentFetch } from './http/fetch-client';
import { instrumentHttpClient } from './http/http-client';
import { instrumentHttpServer } from './http/http-server';
import type { Instrumentation, InstrumentationContext } from './instrumentation';

/**
 * Which code each instrumentation name turns on. `express` has no code of its own: the HTTP
 * server span reads Express's `req.route` when it is on.
 */
const BY_NAME: Record<InstrumentationName, Instrumentation[]> = {
  http: [instrumentHttpServer, instrumentHttpClient],
  undici: [instrumentFetch],
  fastify: [instrumentFastify],
  express: [],
};

/** Turns on the configured instrumentations; returns the function that turns them all off. */
export function enableInstrumentations(context: InstrumentationContext): () => void {
  const disablers: (() => void)[] = [];
  for (const name of context.config.instrumentations) {
    for (const instrument of BY_NAME[name]) {
      try {
        disablers.push(instrument(context));
      } catch (error) {
        context.diagnostics.suppressed(`could not enable the ${name} instrumentation`, error);
      }
    }
  }
  return () => {
    for (const disable of disablers.splice(0)) disable();
  };
}
