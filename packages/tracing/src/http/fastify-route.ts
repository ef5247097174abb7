import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import { guard } from '@threadline/core';
import type { Instrumentation } from '../instrumentation';
import { serverSpanOf } from './http-server';
import { markRoute } from './route';

interface FastifyHandlerStore {
  request: { raw: IncomingMessage };
  route: { url: string };
  error?: unknown;
}

/**
 * Fastify 5 publishes `tracing:fastify.request.handler:*` around each route handler with the
 * route template; Threadline leaves the template on the raw request for the server span and
 * records a thrown handler error on it.
 */
export const instrumentFastify: Instrumentation = ({ diagnostics }) => {
  const onStart = guard(diagnostics, 'fastify instrumentation', (message: unknown) => {
    const store = message as FastifyHandlerStore;
    markRoute(store.request.raw, store.route.url);
  });
  const onError = guard(diagnostics, 'fastify instrumentation', (message: unknown) => {
    const store = message as FastifyHandlerStore;
    const span = serverSpanOf(store.request.raw);
    if (!span) return;
    if (store.error instanceof Error) span.recordException(store.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: store.error instanceof Error ? store.error.message : undefined });
  });
  diagnosticsChannel.subscribe('tracing:fastify.request.handler:start', onStart);
  diagnosticsChannel.subscribe('tracing:fastify.request.handler:error', onError);
  return () => {
    diagnosticsChannel.unsubscribe('tracing:fastify.request.handler:start', onStart);
    diagnosticsChannel.unsubscribe('tracing:fastify.request.handler:error', onError);
  };
};
