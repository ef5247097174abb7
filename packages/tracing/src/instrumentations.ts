import type { InstrumentationName } from '@threadline/core';
import { guardedLoad } from '@threadline/core';
import { enableDbInstrumentations } from './db/db-instrumentations';
import { instrumentFastify } from './http/fastify-route';
import { instrumentFetch } from './http/fetch-client';
import { instrumentHttpClient } from './http/http-client';
import { instrumentHttpServer } from './http/http-server';
import type { Instrumentation, InstrumentationContext } from './instrumentation';

/**
 * Which code each instrumentation name turns on. `express` has no code of its own: the HTTP
 * server span reads Express's `req.route` when it is on. Database clients are listed in
 * db/db-instrumentations.ts: they load on the first use of their client.
 */
const BY_NAME: Partial<Record<InstrumentationName, Instrumentation[]>> = {
  http: [instrumentHttpServer, instrumentHttpClient],
  undici: [instrumentFetch],
  fastify: [instrumentFastify],
};

/** Turns on the configured instrumentations; returns the function that turns them all off. */
export function enableInstrumentations(context: InstrumentationContext): () => void {
  const disablers: (() => void)[] = [];
  for (const name of context.config.instrumentations) {
    for (const instrument of BY_NAME[name] ?? []) {
      const disable = guardedLoad(context.diagnostics, `enabling the ${name} instrumentation`, () => instrument(context));
      if (disable) disablers.push(disable);
    }
  }
  disablers.push(enableDbInstrumentations(context.config.instrumentations, context.provider, context.diagnostics));
  return () => {
    for (const disable of disablers.splice(0)) disable();
  };
}
