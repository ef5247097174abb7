import type { Attributes, Context, Span, TextMapGetter, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, context, createContextKey, propagation, trace } from '@opentelemetry/api';
import {
  REQUEST_ID_ATTRIBUTE,
  REQUEST_ID_HEADER,
  baggageWithRequestId,
  errorTypeOf,
  getRequestContext,
  publishMessagingOperationEnd,
  restoreCarriedRequest,
  withCarriedRequest,
  withRequestContext,
} from '@threadline/core';
import { endWhenDone } from './patch';

/** Where a message goes or comes from, in the messaging semantic conventions' terms. */
export interface MessageTarget {
  /** `messaging.system`: `rabbitmq`, `nats`, `mqtt`, `bullmq`. */
  system: string;
  /** `messaging.destination.name`: the exchange, subject, topic or queue. */
  destination: string;
  /** `messaging.operation.name`: the client's own word (`publish`, `send`, `process`, `add`). */
  operationName: string;
  /** System-specific attributes (routing key, consumer group, message ID, body size...). */
  attributes: Attributes;
}

/** A message being handled: its target and a way to read the headers it arrived with. */
export interface ConsumedMessage extends MessageTarget {
  header(name: string): string | undefined;
  headerNames(): string[];
}

/** The consumer's span for one message, until the handler ends; settlement may mark it. */
export interface ProcessingMessage {
  readonly span: Span;
  /** A nack or reject: `error.type` on the span (the handler itself may still succeed). */
  markRejected(errorType: string): void;
}

const PRODUCER_OPERATION_TYPE = 'send';
// Set while a client's high-level send runs, so the low-level publish it makes (NATS
// JetStream's publish is a request on the core connection) is not a second producer span.
const INSIDE_PRODUCER = createContextKey('threadline.messaging.inside-producer');

/** Runs a client's own send in a context where nested publishes make no producer span. */
export function runInsideProducer<T>(send: () => T): T {
  return context.with(context.active().setValue(INSIDE_PRODUCER, true), send);
}

export function isInsideProducer(): boolean {
  return context.active().getValue(INSIDE_PRODUCER) === true;
}
const CONSUMER_OPERATION_TYPE = 'process';

/**
 * Starts the producer span for one message and writes `traceparent`, `tracestate`, `baggage`
 * (with the request's ID, attributes and feature flags) and `x-request-id` through `setHeader`.
 * Returns the function that ends the span, with the send's error if it failed.
 */
export function startProducerSpan(tracer: Tracer, target: MessageTarget, setHeader: (name: string, value: string) => void): (error?: unknown) => void {
  const active = context.active();
  const attributes = spanAttributes(target, PRODUCER_OPERATION_TYPE);
  const span = tracer.startSpan(`${target.operationName} ${target.destination}`, { kind: SpanKind.PRODUCER, attributes }, active);
  const withSpan = trace.setSpan(active, span);
  propagation.inject(withCarriedRequest(withSpan), undefined, { set: (_carrier, name, value) => setHeader(name, value) });
  const requestId = getRequestContext(active)?.requestId;
  if (requestId) setHeader(REQUEST_ID_HEADER, requestId);
  const startedAt = performance.now();
  return (error?: unknown) => {
    const errorType = error === undefined ? undefined : errorTypeOf(error);
    if (errorType) setError(span, errorType, error);
    span.end();
    publishEnd(PRODUCER_OPERATION_TYPE, target, span, startedAt, errorType, requestId);
  };
}

const HEADER_GETTER: TextMapGetter<ConsumedMessage> = {
  get: (message, name) => message.header(name),
  keys: (message) => message.headerNames(),
};

/**
 * Runs a consumer's handler for one message inside a consumer span that continues the
 * producer's trace (the producer span is its parent), with the carried request restored as the
 * handler's context: its log lines, queries and calls join the request that sent the message.
 * The handler's result (or promise) is returned unchanged, and so are its errors.
 */
export function processMessage<R>(tracer: Tracer, message: ConsumedMessage, handler: (processing: ProcessingMessage) => R): R {
  const extracted = propagation.extract(ROOT_CONTEXT, message, HEADER_GETTER);
  const attributes = spanAttributes(message, CONSUMER_OPERATION_TYPE);
  const span = tracer.startSpan(`${message.operationName} ${message.destination}`, { kind: SpanKind.CONSUMER, attributes }, extracted);
  const request = restoreCarriedRequest(extracted, message.header(REQUEST_ID_HEADER), span);
  span.setAttribute(REQUEST_ID_ATTRIBUTE, request.requestId);
  for (const [key, value] of Object.entries(request.attributes)) span.setAttribute(key, value);
  const active = withRequestContext(trace.setSpan(baggageWithRequestId(extracted, request.requestId), span), request);
  let rejectedAs: string | undefined;
  const processing: ProcessingMessage = {
    span,
    markRejected: (errorType) => {
      rejectedAs ??= errorType;
      span.setAttribute('error.type', errorType);
    },
  };
  const startedAt = performance.now();
  const finish = (error?: unknown): void => {
    const errorType = error === undefined ? rejectedAs : errorTypeOf(error);
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error));
      setError(span, errorTypeOf(error), error);
    } else if (rejectedAs) span.setStatus({ code: SpanStatusCode.ERROR, message: rejectedAs });
    span.end();
    publishEnd(CONSUMER_OPERATION_TYPE, message, span, startedAt, errorType, request.requestId);
  };
  return endWhenDone(() => context.with(active, handler, undefined, processing), finish);
}

function spanAttributes(target: MessageTarget, operationType: string): Attributes {
  return {
    'messaging.system': target.system,
    'messaging.destination.name': target.destination,
    'messaging.operation.type': operationType,
    'messaging.operation.name': target.operationName,
    ...target.attributes,
  };
}

function setError(span: Span, errorType: string, error: unknown): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

function publishEnd(operationType: 'send' | 'process', target: MessageTarget, span: Span, startedAt: number, errorType: string | undefined, requestId: string | undefined): void {
  const attributes: Record<string, string> = {
    'messaging.system': target.system,
    'messaging.destination.name': target.destination,
    'messaging.operation.name': target.operationName,
  };
  if (errorType) attributes['error.type'] = errorType;
  const spanContext = span.spanContext();
  publishMessagingOperationEnd({
    operationType,
    durationSeconds: (performance.now() - startedAt) / 1000,
    attributes,
    spanContext: spanContext.traceFlags & TraceFlags.SAMPLED ? spanContext : undefined,
    requestId,
  });
}
