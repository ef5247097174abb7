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
  const requestId = injectContext(trace.setSpan(active, span), setHeader);
  const startedAt = performance.now();
  return (error?: unknown) => {
    const errorType = error === undefined ? undefined : errorTypeOf(error);
    if (errorType) setError(span, errorType, error);
    span.end();
    publishEnd(PRODUCER_OPERATION_TYPE, target, span, startedAt, errorType, requestId);
  };
}

/** Writes the context's trace, baggage and request (ID, attributes, feature flags) through `setHeader`; returns the request ID. */
export function injectContext(active: Context, setHeader: (name: string, value: string) => void): string | undefined {
  propagation.inject(withCarriedRequest(active), undefined, { set: (_carrier, name, value) => setHeader(name, value) });
  const requestId = getRequestContext(active)?.requestId;
  if (requestId) setHeader(REQUEST_ID_HEADER, requestId);
  return requestId;
}

/**
 * The context carried in `headers` (written by `injectContext`), with no span of its own: for
 * work that continues a consumer span elsewhere (a sandboxed processor's child process).
 */
export function continuedContext(headers: Record<string, unknown>): Context {
  const text = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : undefined);
  const extracted = propagation.extract(ROOT_CONTEXT, headers, { get: (_carrier, name) => text(name), keys: () => Object.keys(headers) });
  const request = restoreCarriedRequest(extracted, text(REQUEST_ID_HEADER), undefined);
  return withRequestContext(baggageWithRequestId(extracted, request.requestId), request);
}

export const HEADER_GETTER: TextMapGetter<ConsumedMessage> = {
  get: (message, name) => message.header(name),
  keys: (message) => message.headerNames(),
};

/** A consumer span started for one message, with the context its handler should run in. */
export interface StartedProcessing extends ProcessingMessage {
  /** The consumer span active, the carried request restored. */
  readonly active: Context;
  /** Ends the span (with the handler's error, if it threw) and records the metrics. */
  finish(error?: unknown): void;
}

/**
 * Starts the consumer span for one message: it continues the producer's trace (the producer
 * span is its parent) and carries the restored request. For clients whose handler is not a
 * callback Threadline can wrap (a message read by async iteration).
 */
export function startProcessing(tracer: Tracer, message: ConsumedMessage): StartedProcessing {
  const extracted = propagation.extract(ROOT_CONTEXT, message, HEADER_GETTER);
  const attributes = spanAttributes(message, CONSUMER_OPERATION_TYPE);
  const span = tracer.startSpan(`${message.operationName} ${message.destination}`, { kind: SpanKind.CONSUMER, attributes }, extracted);
  const request = restoreCarriedRequest(extracted, message.header(REQUEST_ID_HEADER), span);
  span.setAttribute(REQUEST_ID_ATTRIBUTE, request.requestId);
  for (const [key, value] of Object.entries(request.attributes)) span.setAttribute(key, value);
  const active = withRequestContext(trace.setSpan(baggageWithRequestId(extracted, request.requestId), span), request);
  let rejectedAs: string | undefined;
  let finished = false;
  const startedAt = performance.now();
  return {
    span,
    active,
    markRejected: (errorType) => {
      rejectedAs ??= errorType;
      span.setAttribute('error.type', errorType);
    },
    finish: (error?: unknown): void => {
      if (finished) return;
      finished = true;
      const errorType = error === undefined ? rejectedAs : errorTypeOf(error);
      if (error !== undefined) {
        span.recordException(error instanceof Error ? error : String(error));
        setError(span, errorTypeOf(error), error);
      } else if (rejectedAs) span.setStatus({ code: SpanStatusCode.ERROR, message: rejectedAs });
      span.end();
      publishEnd(CONSUMER_OPERATION_TYPE, message, span, startedAt, errorType, request.requestId);
    },
  };
}

/**
 * Runs a consumer's handler for one message inside a consumer span that continues the
 * producer's trace (the producer span is its parent), with the carried request restored as the
 * handler's context: its log lines, queries and calls join the request that sent the message.
 * The handler's result (or promise) is returned unchanged, and so are its errors.
 */
export function processMessage<R>(tracer: Tracer, message: ConsumedMessage, handler: (processing: ProcessingMessage) => R): R {
  const processing = startProcessing(tracer, message);
  return endWhenDone(() => context.with(processing.active, handler, undefined, processing), processing.finish);
}

export function spanAttributes(target: MessageTarget, operationType: string): Attributes {
  return {
    'messaging.system': target.system,
    'messaging.destination.name': target.destination,
    'messaging.operation.type': operationType,
    'messaging.operation.name': target.operationName,
    ...target.attributes,
  };
}

export function setError(span: Span, errorType: string, error: unknown): void {
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

/** The conventions' metric attributes beyond system, destination and operation, where a system has them (both bounded). */
const METRIC_CONSUMER_ATTRIBUTES = ['messaging.consumer.group.name', 'messaging.destination.subscription.name'];

export function publishEnd(operationType: 'send' | 'process' | 'receive', target: MessageTarget, span: Span | undefined, startedAt: number, errorType: string | undefined, requestId: string | undefined): void {
  const attributes: Record<string, string> = {
    'messaging.system': target.system,
    'messaging.destination.name': target.destination,
    'messaging.operation.name': target.operationName,
    'messaging.operation.type': operationType,
  };
  for (const key of METRIC_CONSUMER_ATTRIBUTES) {
    const value = target.attributes[key];
    if (typeof value === 'string') attributes[key] = value;
  }
  if (errorType) attributes['error.type'] = errorType;
  const spanContext = span?.spanContext();
  const batchSize = target.attributes['messaging.batch.message_count'];
  publishMessagingOperationEnd({
    messageCount: operationType === 'receive' ? 0 : typeof batchSize === 'number' ? batchSize : 1,
    operationType,
    durationSeconds: (performance.now() - startedAt) / 1000,
    attributes,
    spanContext: spanContext && spanContext.traceFlags & TraceFlags.SAMPLED ? spanContext : undefined,
    requestId,
  });
}
