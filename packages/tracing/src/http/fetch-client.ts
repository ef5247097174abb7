import * as diagnosticsChannel from 'node:diagnostics_channel';
import { guard } from '@threadline/core';
import type { Instrumentation } from '../instrumentation';
import type { ClientCall } from './client-span';
import { clientPropagationOf } from './context-hosts';
import { endClientCall, recordClientError, recordClientStatus, startClientSpan } from './client-span';

interface UndiciRequest {
  origin: string | URL;
  method: string;
  path: string;
  addHeader(name: string, value: string): unknown;
}

/**
 * Client spans for global `fetch` (undici) from undici's diagnostics channels, which allow
 * adding headers at `undici:request:create`. Subscribing does not load undici.
 */
export const instrumentFetch: Instrumentation = ({ spans, diagnostics, config }) => {
  const rules = clientPropagationOf(config);
  const calls = new WeakMap<object, ClientCall>();
  const handlers: Record<string, (message: unknown) => void> = {
    'undici:request:create': guard(diagnostics, 'fetch instrumentation', (message: unknown) => {
      const { request } = message as { request: UndiciRequest };
      const origin = new URL(String(request.origin));
      const call = startClientSpan(
        spans,
        { method: request.method, protocol: origin.protocol, host: origin.host, path: request.path },
        (name, value) => request.addHeader(name, value),
        rules,
      );
      if (call) calls.set(request, call);
    }),
    'undici:request:headers': guard(diagnostics, 'fetch instrumentation', (message: unknown) => {
      const { request, response } = message as { request: object; response: { statusCode: number } };
      const call = calls.get(request);
      if (call) recordClientStatus(call, response.statusCode);
    }),
    'undici:request:trailers': guard(diagnostics, 'fetch instrumentation', (message: unknown) => {
      const { request } = message as { request: object };
      const call = calls.get(request);
      if (call) endClientCall(call);
      calls.delete(request);
    }),
    'undici:request:error': guard(diagnostics, 'fetch instrumentation', (message: unknown) => {
      const { request, error } = message as { request: object; error: unknown };
      const call = calls.get(request);
      if (!call) return;
      recordClientError(call, error);
      endClientCall(call);
      calls.delete(request);
    }),
  };
  for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.subscribe(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.unsubscribe(name, handler);
  };
};
