import type { Context } from '@opentelemetry/api';
import type { InstrumentationName } from '@threadline/core';
import { guardedLoad } from '@threadline/core';
import { enableDbInstrumentations } from './db/db-instrumentations';
import { instrumentFastify } from './http/fastify-route';
import { enableFrameworkPatches } from './http/framework-modules';
import { instrumentFetch } from './http/fetch-client';
import { instrumentHttpClient } from './http/http-client';
import { instrumentHttpServer } from './http/http-server';
import type { Instrumentation, InstrumentationContext } from './instrumentation';
import { enableMessagingInstrumentations } from './messaging/messaging-instrumentations';

/**
 * Which code each instrumentation name turns on. The HTTP server span reads Express's
 * `req.route` when `express` is on; the frameworks without diagnostics channels (Express
 * errors, Koa, Hono, NestJS) are patched when the app loads them (http/framework-modules.ts),
 * and database clients load on the first use of their client (db/db-instrumentations.ts).
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
  disablers.push(enableFrameworkPatches(context.config.instrumentations, context.diagnostics));
  disablers.push(enableDbInstrumentations(context.config.instrumentations, context.provider, context.diagnostics));
  // A message read by async iteration gets its context the only way a `for await` body can:
  // attached as the body resumes (see messaging/iterated-messages.ts).
  const attach = (active: Context): void => void context.contextManager.attach(active);
  disablers.push(enableMessagingInstrumentations(context.config.instrumentations, context.tracer, context.diagnostics, attach));
  return () => {
    for (const disable of disablers.splice(0)) disable();
  };
}
