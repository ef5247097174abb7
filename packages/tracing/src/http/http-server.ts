import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Attributes, Context, Link, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { HTTP_REQUEST_END_CHANNEL, REQUEST_ID_ATTRIBUTE, createRequestContext, createRequestScope, errorTypeOf, guard, isUntraced, publishHttpRequestEnd } from '@threadline/core';
import type { Instrumentation } from '../instrumentation';
import { createPathMatcher, normalizeMethod, parseHost, pathOf, spanName } from './http-semantics';
import { routeOf } from './route';
import { resolveRequestId } from './request-id-header';
import { serverErrorOf } from './server-error';
import { createHeaderCapture } from './header-capture';
import { BOUND_CONTEXT, emitInBoundContext } from './bound-emit';

const SPAN_KEY = Symbol.for('threadline.http.server-span');

/**
 * With AsyncContextFrame (the default from Node 24, opt-in on 22), a context entered in the
 * request-start subscriber lasts for that synchronous run and what it schedules, but the
 * request's later `data`/`end` events come from the socket and run in the socket's context:
 * a handler that reads the body first (every body parser) would lose the request. The request
 * and the response carry their context and emit inside it (bound-emit.ts); under async_hooks
 * (Node 20) the entered context already reaches those events, so nothing is bound there.
 */
const BIND_REQUEST_EMITTERS = usesAsyncContextFrame();

function usesAsyncContextFrame(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  // A flag given through NODE_OPTIONS is not in execArgv: binding then costs a little, never correctness.
  if (process.execArgv.includes('--no-async-context-frame')) return false;
  return major >= 24 || process.execArgv.includes('--experimental-async-context-frame');
}
type TracedRequest = IncomingMessage & { [SPAN_KEY]?: Span };
type BoundEmitter = { [BOUND_CONTEXT]?: Context };

interface RequestStart {
  request: IncomingMessage;
  response: ServerResponse;
  socket: Socket;
}

/** The server span of a request being served, for framework instrumentations to enrich. */
export function serverSpanOf(request: IncomingMessage): Span | undefined {
  return (request as TracedRequest)[SPAN_KEY];
}

/**
 * Server spans for node:http and node:https from the `http.server.request.start` diagnostics
 * channel: no patching, and it works for ESM apps without a loader. The channel fires just
 * before the `request` event, so attaching the span's context there makes it the handler's
 * active context. Every request attaches a context (the root one when not traced), so nothing
 * leaks from one request to the next on a keep-alive socket.
 */
export const instrumentHttpServer: Instrumentation = ({ spans, contextManager, config, diagnostics }) => {
  const isIgnored = createPathMatcher(config.ignoreIncomingPaths);
  const readExpressRoute = config.instrumentations.includes('express');
  const ignoredContext = suppressTracing(ROOT_CONTEXT);
  const [echoHeader = 'x-request-id'] = config.requestIdHeaders;
  const { serverRequest, serverResponse, allowSensitive } = config.headerCapture;
  const captureRequestHeaders = createHeaderCapture(serverRequest, allowSensitive, 'request');
  const captureResponseHeaders = createHeaderCapture(serverResponse, allowSensitive, 'response');

  // Whether the request being started (synchronously, in this subscriber) got its context. When
  // its start fails before that, a clean context is attached instead, so that the previous
  // request's context does not stay on a keep-alive socket for this request's handler.
  let attached = false;
  const attachCleanContext = (): void => {
    if (!attached) contextManager.attach(ROOT_CONTEXT);
  };
  const onResponseClose = guard(diagnostics, 'http server instrumentation', function (this: ServerResponse) {
    const served = (this as ServedResponse)[SERVED_KEY];
    if (served === undefined) return;
    (this as ServedResponse)[SERVED_KEY] = undefined;
    const route = routeOf(served.request, readExpressRoute);
    if (captureResponseHeaders) captureResponseHeaders(served.span, (name) => this.getHeader(name));
    const error = serverErrorOf(served.request);
    const errorType = serverErrorType(this, error);
    endServerSpan(served.span, served.method, route, this.statusCode, errorType, error);
    if (HTTP_REQUEST_END_CHANNEL.hasSubscribers) publishServerEnd(served, route, this.statusCode, errorType);
  });

  const onRequestStart = guard(diagnostics, 'http server instrumentation', (message: unknown) => {
    attached = false;
    const { request, response, socket } = message as RequestStart;
    const path = pathOf(request.url);
    if (isIgnored(path) || isUntraced(socket)) {
      contextManager.attach(ignoredContext);
      attached = true;
      return;
    }
    const encrypted = (socket as Socket & { encrypted?: boolean }).encrypted === true;
    const method = normalizeMethod(request.method);
    const { parent, links } = inboundParent(request, config.trustInboundContext);
    const requestId = resolveRequestId(request.headers, config.requestIdHeaders, parent);
    const name = spanName(method);
    const span =
      spans.unsampled(name, SpanKind.SERVER, parent, { 'http.request.method': method, 'url.path': path }) ??
      spans.start(name, SpanKind.SERVER, parent, serverSpanAttributes(request, socket, method, path, encrypted, requestId), links);
    (request as TracedRequest)[SPAN_KEY] = span;
    if (captureRequestHeaders) captureRequestHeaders(span, (name) => request.headersDistinct[name]);
    if (!response.headersSent) response.setHeader(echoHeader, requestId);
    const active = createRequestScope(parent, span, createRequestContext(requestId, span));
    contextManager.attach(active);
    if (BIND_REQUEST_EMITTERS) {
      (request as BoundEmitter)[BOUND_CONTEXT] = active;
      (response as BoundEmitter)[BOUND_CONTEXT] = active;
    }
    attached = true;
    (response as ServedResponse)[SERVED_KEY] = { request, span, method, scheme: encrypted ? 'https' : 'http', requestId, startedAt: performance.now() };
    response.on('close', onResponseClose);
  }, attachCleanContext);

  const restoreEmit = BIND_REQUEST_EMITTERS ? emitInBoundContext(contextManager) : undefined;
  diagnosticsChannel.subscribe('http.server.request.start', onRequestStart);
  return () => {
    diagnosticsChannel.unsubscribe('http.server.request.start', onRequestStart);
    restoreEmit?.();
  };
};

/** What the end of a served request needs, kept on the response (one shared close listener, no closure per request). */
interface ServedRequest {
  request: IncomingMessage;
  span: Span;
  method: string;
  scheme: 'http' | 'https';
  requestId: string;
  startedAt: number;
}
const SERVED_KEY = Symbol('threadline.http.served');
type ServedResponse = ServerResponse & { [SERVED_KEY]?: ServedRequest };

/** A recorded server span's attributes; built only for requests the sampler keeps. */
function serverSpanAttributes(request: IncomingMessage, socket: Socket, method: string, path: string, encrypted: boolean, requestId: string): Attributes {
  const host = parseHost(request.headers.host, encrypted ? 443 : 80);
  const attributes: Attributes = {
    'http.request.method': method,
    'url.path': path,
    'url.scheme': encrypted ? 'https' : 'http',
    'server.port': host.port,
    'network.protocol.version': request.httpVersion,
  };
  if (method === '_OTHER') attributes['http.request.method_original'] = request.method;
  if (host.address) attributes['server.address'] = host.address;
  if (request.headers['user-agent']) attributes['user_agent.original'] = request.headers['user-agent'];
  if (socket.remoteAddress) attributes['client.address'] = socket.remoteAddress;
  attributes[REQUEST_ID_ATTRIBUTE] = requestId;
  return attributes;
}

/**
 * The context a server span starts in. Trusted (the default): the caller's trace and baggage.
 * Edge mode: a new trace whose span links to the caller's, and no inbound baggage, since W3C
 * Trace Context's security section advises restarting traces at a trust boundary so a caller
 * cannot force sampling, and baggage from the internet is not ours to pass on.
 */
function inboundParent(request: IncomingMessage, trusted: boolean): { parent: Context; links: Link[] | undefined } {
  const extracted = propagation.extract(ROOT_CONTEXT, request.headers);
  if (trusted) return { parent: extracted, links: undefined };
  const inbound = trace.getSpanContext(extracted);
  return { parent: ROOT_CONTEXT, links: inbound ? [{ context: inbound }] : undefined };
}

/** The request's measurements for metrics: only bounded attributes (no path, no IDs). */
function publishServerEnd(served: ServedRequest, route: string | undefined, status: number, errorType: string | undefined): void {
  const attributes: Record<string, string | number> = {
    'http.request.method': served.method,
    'url.scheme': served.scheme,
    'http.response.status_code': status,
  };
  if (route) attributes['http.route'] = route;
  if (errorType) attributes['error.type'] = errorType;
  const spanContext = served.span.spanContext();
  publishHttpRequestEnd({
    kind: 'server',
    durationSeconds: (performance.now() - served.startedAt) / 1000,
    attributes,
    spanContext: spanContext.traceFlags & TraceFlags.SAMPLED ? spanContext : undefined,
    requestId: served.requestId,
  });
}

/**
 * A 5xx is an error of that status, or of the exception's type when a handler threw; a
 * connection closed before the response was complete (client went away, or a crash) is
 * `aborted`. A 4xx is the client's error: no error type, status left unset, per the HTTP
 * conventions, also when a handler threw it.
 */
function serverErrorType(response: ServerResponse, error: unknown): string | undefined {
  if (response.statusCode < 500 && response.writableFinished) return undefined;
  if (error !== undefined) return errorTypeOf(error);
  return response.statusCode >= 500 ? String(response.statusCode) : 'aborted';
}

function endServerSpan(span: Span, method: string, route: string | undefined, status: number, errorType: string | undefined, error: unknown): void {
  if (route) {
    span.setAttribute('http.route', route);
    span.updateName(spanName(method, route));
  }
  span.setAttribute('http.response.status_code', status);
  if (errorType) {
    span.setAttribute('error.type', errorType);
    if (error !== undefined) span.recordException(error instanceof Error ? error : String(error));
    const message = error instanceof Error ? error.message : errorType === 'aborted' ? 'response not completed' : undefined;
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  span.end();
}
