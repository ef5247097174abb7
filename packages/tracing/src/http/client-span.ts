import type { Attributes, Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode, TraceFlags, context, propagation, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { HTTP_REQUEST_END_CHANNEL, errorTypeOf, getRequestContext, publishHttpRequestEnd, redactUrl } from '@threadline/core';
import type { SpanStarter } from '../span-starter';
import type { ClientPropagation } from './context-hosts';
import { CONTEXT_HEADERS } from './context-hosts';
import { normalizeMethod, parseHost, spanName } from './http-semantics';

export interface OutgoingRequest {
  method: string | undefined;
  /** `http:` or `https:` */
  protocol: string;
  /** host[:port] as sent in the Host header */
  host: string;
  path: string;
}

/** A client span with what its end needs to publish the request's measurements. */
export interface ClientCall {
  span: Span;
  startedAt: number;
  attributes: Record<string, string | number>;
  requestId: string | undefined;
}

/**
 * Starts a client span for an outgoing request in the active context and writes the trace
 * context headers (and the request ID header, inside a request) with `setHeader`; `baggage`,
 * `tracestate` and the request ID go only to the hosts `contextAllowedHosts` names. Returns
 * undefined when tracing is suppressed (Threadline's own exports run suppressed, so they never
 * trace themselves).
 */
export function startClientSpan(
  spans: SpanStarter,
  request: OutgoingRequest,
  setHeader: (name: string, value: string) => void,
  propagationRules: ClientPropagation,
): ClientCall | undefined {
  const active = context.active();
  if (isTracingSuppressed(active)) return undefined;
  const method = normalizeMethod(request.method);
  const secure = request.protocol === 'https:';
  const host = parseHost(request.host, secure ? 443 : 80);
  const name = spanName(method);
  const span =
    spans.unsampled(name, SpanKind.CLIENT, active, { 'http.request.method': method, 'server.port': host.port }) ??
    spans.start(name, SpanKind.CLIENT, active, clientSpanAttributes(request, method, host));
  const sendsContext = propagationRules.sendsContextTo(host.address ?? '');
  propagation.inject(trace.setSpan(active, span), undefined, {
    set: (_carrier, name, value) => {
      if (sendsContext || !CONTEXT_HEADERS.has(name)) setHeader(name, value);
    },
  });
  const requestId = getRequestContext(active)?.requestId;
  if (requestId && sendsContext) setHeader(propagationRules.requestIdHeader, requestId);
  const metricAttributes: Record<string, string | number> = { 'http.request.method': method, 'server.port': host.port, 'url.scheme': secure ? 'https' : 'http' };
  if (host.address) metricAttributes['server.address'] = host.address;
  return { span, startedAt: performance.now(), attributes: metricAttributes, requestId };
}

/** A recorded client span's attributes; built only for requests the sampler keeps. */
function clientSpanAttributes(request: OutgoingRequest, method: string, host: Readonly<{ address?: string; port: number }>): Attributes {
  const attributes: Attributes = {
    'http.request.method': method,
    'server.port': host.port,
    'url.full': redactUrl(`${request.protocol}//${request.host}${request.path}`),
  };
  if (method === '_OTHER') attributes['http.request.method_original'] = request.method;
  if (host.address) attributes['server.address'] = host.address;
  return attributes;
}

/** Ends a client span and publishes its measurements (status or error type included). */
export function endClientCall(call: ClientCall): void {
  call.span.end();
  if (!HTTP_REQUEST_END_CHANNEL.hasSubscribers) return;
  const spanContext = call.span.spanContext();
  publishHttpRequestEnd({
    kind: 'client',
    durationSeconds: (performance.now() - call.startedAt) / 1000,
    attributes: call.attributes,
    spanContext: spanContext.traceFlags & TraceFlags.SAMPLED ? spanContext : undefined,
    requestId: call.requestId,
  });
}

/** Records the response status; 4xx and 5xx mark a client span as failed, per the conventions. */
export function recordClientStatus(call: ClientCall, status: number): void {
  call.span.setAttribute('http.response.status_code', status);
  call.attributes['http.response.status_code'] = status;
  if (status >= 400) {
    call.span.setAttribute('error.type', String(status));
    call.attributes['error.type'] = String(status);
    call.span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

export function recordClientError(call: ClientCall, error: unknown): void {
  const { span } = call;
  const type = errorTypeOf(error);
  span.setAttribute('error.type', type);
  call.attributes['error.type'] = type;
  if (error instanceof Error) span.recordException(error);
  const message = (error as { message?: unknown } | undefined)?.message;
  span.setStatus({ code: SpanStatusCode.ERROR, message: typeof message === 'string' ? message : undefined });
}
