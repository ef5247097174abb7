import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Attributes, Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { HTTP_REQUEST_END_CHANNEL, REQUEST_ID_ATTRIBUTE, REQUEST_ID_BAGGAGE_KEY, createRequestContext, isUntraced, publishHttpRequestEnd, withRequestContext } from '@threadline/core';
import type { Instrumentation } from '../instrumentation';
import { guarded } from '../instrumentation';
import { createPathMatcher, normalizeMethod, parseHost, pathOf, spanName } from './http-semantics';
import { routeOf } from './route';
import { resolveRequestId } from './request-id-header';

const SPAN_KEY = Symbol.for('threadline.http.server-span');
type TracedRequest = IncomingMessage & { [SPAN_KEY]?: Span };

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
export const instrumentHttpServer: Instrumentation = ({ tracer, contextManager, config, diagnostics }) => {
  const isIgnored = createPathMatcher(config.ignoreIncomingPaths);
  const readExpressRoute = config.instrumentations.includes('express');
  const ignoredContext = suppressTracing(ROOT_CONTEXT);
  const [echoHeader = 'x-request-id'] = config.requestIdHeaders;

  const onRequestStart = guarded(diagnostics, 'http server', (message: unknown) => {
    const { request, response, socket } = message as RequestStart;
    const path = pathOf(request.url);
    if (isIgnored(path) || isUntraced(socket)) {
      contextManager.attach(ignoredContext);
      return;
    }
    const encrypted = (socket as Socket & { encrypted?: boolean }).encrypted === true;
    const method = normalizeMethod(request.method);
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

    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const requestId = resolveRequestId(request.headers, config.requestIdHeaders, parent);
    attributes[REQUEST_ID_ATTRIBUTE] = requestId;
    const span = tracer.startSpan(spanName(method), { kind: SpanKind.SERVER, attributes }, parent);
    (request as TracedRequest)[SPAN_KEY] = span;
    if (!response.headersSent) response.setHeader(echoHeader, requestId);
    const baggage = (propagation.getBaggage(parent) ?? propagation.createBaggage()).setEntry(REQUEST_ID_BAGGAGE_KEY, { value: requestId });
    const active = propagation.setBaggage(trace.setSpan(parent, span), baggage);
    contextManager.attach(withRequestContext(active, createRequestContext(requestId, span)));
    const startedAt = performance.now();
    response.once('close', () => {
      const route = routeOf(request, readExpressRoute);
      const errorType = serverErrorType(response);
      endServerSpan(span, method, route, response.statusCode, errorType);
      if (HTTP_REQUEST_END_CHANNEL.hasSubscribers) publishServerEnd(span, attributes, route, response.statusCode, errorType, startedAt, requestId);
    });
  });

  diagnosticsChannel.subscribe('http.server.request.start', onRequestStart);
  return () => diagnosticsChannel.unsubscribe('http.server.request.start', onRequestStart);
};

/** The request's measurements for metrics: only bounded attributes (no path, no IDs). */
function publishServerEnd(
  span: Span,
  startAttributes: Attributes,
  route: string | undefined,
  status: number,
  errorType: string | undefined,
  startedAt: number,
  requestId: string,
): void {
  const attributes: Record<string, string | number> = {
    'http.request.method': startAttributes['http.request.method'] as string,
    'url.scheme': startAttributes['url.scheme'] as string,
    'http.response.status_code': status,
  };
  if (route) attributes['http.route'] = route;
  if (errorType) attributes['error.type'] = errorType;
  const spanContext = span.spanContext();
  publishHttpRequestEnd({
    kind: 'server',
    durationSeconds: (performance.now() - startedAt) / 1000,
    attributes,
    spanContext: spanContext.traceFlags & 1 ? spanContext : undefined,
    requestId,
  });
}

/** A 5xx is an error of that status; a connection closed before the response was complete (client went away, or a crash) is `aborted`. */
function serverErrorType(response: ServerResponse): string | undefined {
  if (response.statusCode >= 500) return String(response.statusCode);
  return response.writableFinished ? undefined : 'aborted';
}

function endServerSpan(span: Span, method: string, route: string | undefined, status: number, errorType: string | undefined): void {
  if (route) {
    span.setAttribute('http.route', route);
    span.updateName(spanName(method, route));
  }
  span.setAttribute('http.response.status_code', status);
  if (errorType) {
    span.setAttribute('error.type', errorType);
    span.setStatus({ code: SpanStatusCode.ERROR, message: errorType === 'aborted' ? 'response not completed' : undefined });
  }
  span.end();
}
