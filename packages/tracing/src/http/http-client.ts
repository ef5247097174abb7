import * as diagnosticsChannel from 'node:diagnostics_channel';
// `import x = require()` keeps the real module objects (a bundler's `import * as` namespace
// would be a read-only copy), since the wrapping below must replace their functions.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import http = require('node:http');
import https = require('node:https');
/* eslint-enable @typescript-eslint/no-require-imports */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import { guard } from '@threadline/core';
import type { Instrumentation, InstrumentationContext } from '../instrumentation';
import type { ClientCall } from './client-span';
import type { ClientPropagation } from './context-hosts';
import { clientPropagationOf } from './context-hosts';
import { endClientCall, recordClientError, recordClientStatus, startClientSpan } from './client-span';

const SPAN_KEY = Symbol.for('threadline.http.client-span');
interface ClientSpanState {
  call: ClientCall;
  responded: boolean;
  ended: boolean;
}
type TracedRequest = ClientRequest & { [SPAN_KEY]?: ClientSpanState };

/**
 * Node 22.12+ publishes `http.client.request.created` before a request's headers are sent, so
 * a client span can inject `traceparent` with no patching. Earlier versions only publish
 * `http.client.request.start`, after the headers went out; there `http.request`/`http.get`
 * are wrapped instead (and ESM named imports re-synced).
 */
export function hasRequestCreatedChannel(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/** Client spans for node:http and node:https requests. */
export const instrumentHttpClient: Instrumentation = (instrumentation) => {
  const rules = clientPropagationOf(instrumentation.config);
  // Shared by every request (the state is on the request), so no listener is made per call.
  const onRequestClose = guard(instrumentation.diagnostics, 'http client instrumentation', endUnansweredRequest);
  const onResponseClose = guard(instrumentation.diagnostics, 'http client instrumentation', endAnsweredRequest);
  const onCreated = guard(instrumentation.diagnostics, 'http client instrumentation', (request: ClientRequest) =>
    traceRequest(instrumentation, rules, request, onRequestClose),
  );
  const onResponse = guard(instrumentation.diagnostics, 'http client instrumentation', (message: unknown) => {
    const { request, response } = message as { request: TracedRequest; response: IncomingMessage };
    const state = request[SPAN_KEY];
    if (!state) return;
    state.responded = true;
    recordClientStatus(state.call, response.statusCode ?? 0);
    response.once('close', onResponseClose);
  });
  const onError = guard(instrumentation.diagnostics, 'http client instrumentation', (message: unknown) => {
    const { request, error } = message as { request: TracedRequest; error: unknown };
    const state = request[SPAN_KEY];
    if (!state || state.ended) return;
    state.ended = true;
    recordClientError(state.call, error);
    endClientCall(state.call);
  });
  diagnosticsChannel.subscribe('http.client.response.finish', onResponse);
  diagnosticsChannel.subscribe('http.client.request.error', onError);

  let removeCreationHook: () => void;
  if (hasRequestCreatedChannel()) {
    const onChannel = (message: unknown): void => onCreated((message as { request: ClientRequest }).request);
    diagnosticsChannel.subscribe('http.client.request.created', onChannel);
    removeCreationHook = () => diagnosticsChannel.unsubscribe('http.client.request.created', onChannel);
  } else {
    const restoreHttp = wrapRequestFunctions(http, onCreated);
    const restoreHttps = wrapRequestFunctions(https, onCreated);
    syncBuiltinESMExports();
    removeCreationHook = () => {
      restoreHttp();
      restoreHttps();
      syncBuiltinESMExports();
    };
  }
  return () => {
    removeCreationHook();
    diagnosticsChannel.unsubscribe('http.client.response.finish', onResponse);
    diagnosticsChannel.unsubscribe('http.client.request.error', onError);
  };
};

function traceRequest({ spans }: InstrumentationContext, rules: ClientPropagation, request: ClientRequest, onClose: (this: TracedRequest) => void): void {
  const host = request.getHeader('host');
  const call = startClientSpan(
    spans,
    { method: request.method, protocol: request.protocol, host: typeof host === 'string' ? host : request.host, path: request.path },
    (name, value) => {
      if (!request.headersSent) request.setHeader(name, value);
    },
    rules,
  );
  if (!call) return;
  const state: ClientSpanState = { call, responded: false, ended: false };
  (request as TracedRequest)[SPAN_KEY] = state;
  // Errors arrive on the `http.client.request.error` channel. A request destroyed without an
  // error still closes; listening to 'close' (unlike 'error' or 'response') changes nothing
  // about how the app's request behaves.
  request.once('close', onClose);
}

function endUnansweredRequest(this: TracedRequest): void {
  const state = this[SPAN_KEY];
  if (!state || state.responded || state.ended) return;
  state.ended = true;
  recordClientError(state.call, Object.assign(new Error('request closed before a response'), { code: 'aborted' }));
  endClientCall(state.call);
}

function endAnsweredRequest(this: IncomingMessage & { req?: TracedRequest }): void {
  const state = this.req?.[SPAN_KEY];
  if (!state || state.ended) return;
  state.ended = true;
  endClientCall(state.call);
}

type RequestModule = typeof http | typeof https;

function wrapRequestFunctions(module: RequestModule, onCreated: (request: ClientRequest) => void): () => void {
  const originalRequest = module.request;
  const originalGet = module.get;
  const request = function (this: unknown, ...args: unknown[]): ClientRequest {
    const created = (originalRequest as (...params: unknown[]) => ClientRequest).apply(this, args);
    onCreated(created);
    return created;
  };
  const get = function (this: unknown, ...args: unknown[]): ClientRequest {
    const created = request.apply(this, args);
    created.end();
    return created;
  };
  const writable = module as { request: unknown; get: unknown };
  writable.request = request;
  writable.get = get;
  return () => {
    writable.request = originalRequest;
    writable.get = originalGet;
  };
}
