import * as diagnosticsChannel from 'node:diagnostics_channel';
// `import x = require()` keeps the real module objects (a bundler's `import * as` namespace
// would be a read-only copy), since the wrapping below must replace their functions.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import http = require('node:http');
import https = require('node:https');
/* eslint-enable @typescript-eslint/no-require-imports */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import type { Instrumentation, InstrumentationContext } from '../instrumentation';
import { guarded } from '../instrumentation';
import type { ClientCall } from './client-span';
import { endClientCall, recordClientError, recordClientStatus, startClientSpan } from './client-span';
import { createHeaderCapture } from './header-capture';
import type { HeaderCapture } from './header-capture';

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
  const { clientRequest, clientResponse, allowSensitive } = instrumentation.config.headerCapture;
  const captureRequestHeaders = createHeaderCapture(clientRequest, allowSensitive, 'request');
  const captureResponseHeaders = createHeaderCapture(clientResponse, allowSensitive, 'response');
  const onCreated = guarded(instrumentation.diagnostics, 'http client', (request: ClientRequest) =>
    traceRequest(instrumentation, request, captureRequestHeaders),
  );
  const onResponse = guarded(instrumentation.diagnostics, 'http client', (message: unknown) => {
    const { request, response } = message as { request: TracedRequest; response: IncomingMessage };
    const state = request[SPAN_KEY];
    if (!state) return;
    state.responded = true;
    recordClientStatus(state.call, response.statusCode ?? 0);
    if (captureResponseHeaders) captureResponseHeaders(state.call.span, (name) => response.headersDistinct[name]);
    response.once('close', () => {
      if (state.ended) return;
      state.ended = true;
      endClientCall(state.call);
    });
  });
  const onError = guarded(instrumentation.diagnostics, 'http client', (message: unknown) => {
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

function traceRequest({ tracer, config }: InstrumentationContext, request: ClientRequest, captureHeaders: HeaderCapture | undefined): void {
  const host = request.getHeader('host');
  const call = startClientSpan(
    tracer,
    { method: request.method, protocol: request.protocol, host: typeof host === 'string' ? host : request.host, path: request.path },
    (name, value) => {
      if (!request.headersSent) request.setHeader(name, value);
    },
    config.requestIdHeaders[0] ?? 'x-request-id',
  );
  if (!call) return;
  // At creation the app's headers are set and Threadline's were just added; all are still unsent.
  if (captureHeaders) captureHeaders(call.span, (name) => request.getHeader(name));
  const state: ClientSpanState = { call, responded: false, ended: false };
  (request as TracedRequest)[SPAN_KEY] = state;
  // Errors arrive on the `http.client.request.error` channel. A request destroyed without an
  // error still closes; listening to 'close' (unlike 'error' or 'response') changes nothing
  // about how the app's request behaves.
  request.once('close', () => {
    if (state.responded || state.ended) return;
    state.ended = true;
    recordClientError(call, Object.assign(new Error('request closed before a response'), { code: 'aborted' }));
    endClientCall(call);
  });
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
