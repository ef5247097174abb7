import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { guard } from '@threadline/core';
import type { Instrumentation } from '../instrumentation';
import { markRoute } from './route';
import { markServerError } from './server-error';

interface FastifyRequest {
  raw: IncomingMessage;
  routeOptions?: { url?: unknown };
}
interface FastifyHandlerStore {
  request: FastifyRequest;
  route: { url: string };
  error?: unknown;
}
interface FastifyInstance {
  addHook(name: string, hook: (...args: never[]) => void): unknown;
}

/** onRequest hook: the route template is known from the router's match, before any hook can end the request. */
function markFastifyRoute(request: FastifyRequest, _reply: unknown, done: () => void): void {
  try {
    const url = request.routeOptions?.url;
    if (typeof url === 'string') markRoute(request.raw, url);
  } finally {
    done();
  }
}

/** onError hook: an error from a hook, a validation or a handler, whatever status it gets. */
function markFastifyError(request: FastifyRequest, _reply: unknown, error: unknown, done: () => void): void {
  try {
    markServerError(request.raw, error);
  } finally {
    done();
  }
}

/**
 * Fastify 4.x/5 publishes `fastify.initialization` with each new instance: Threadline adds one
 * onRequest and one onError hook there (module-level functions, root level, so every plugin's
 * routes inherit them), which name the route for every request that matched one, also when an
 * auth hook or schema validation answers it (401, 403, 400), and remember the error. Fastify 5
 * also publishes `tracing:fastify.request.handler:*` around each handler with the route
 * template, kept for instances created before Threadline started.
 */
export const instrumentFastify: Instrumentation = ({ diagnostics }) => {
  const onInitialization = guard(diagnostics, 'fastify instrumentation', (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRequest', markFastifyRoute);
    fastify.addHook('onError', markFastifyError);
  });
  const onStart = guard(diagnostics, 'fastify instrumentation', (message: unknown) => {
    const store = message as FastifyHandlerStore;
    markRoute(store.request.raw, store.route.url);
  });
  const onError = guard(diagnostics, 'fastify instrumentation', (message: unknown) => {
    const store = message as FastifyHandlerStore;
    markServerError(store.request.raw, store.error);
  });
  diagnosticsChannel.subscribe('fastify.initialization', onInitialization);
  diagnosticsChannel.subscribe('tracing:fastify.request.handler:start', onStart);
  diagnosticsChannel.subscribe('tracing:fastify.request.handler:error', onError);
  return () => {
    diagnosticsChannel.unsubscribe('fastify.initialization', onInitialization);
    diagnosticsChannel.unsubscribe('tracing:fastify.request.handler:start', onStart);
    diagnosticsChannel.unsubscribe('tracing:fastify.request.handler:error', onError);
  };
};
