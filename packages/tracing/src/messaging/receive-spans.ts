import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, context, isSpanContextValid, propagation, trace } from '@opentelemetry/api';
import { errorTypeOf, getRequestContext } from '@threadline/core';
import type { ConsumedMessage, MessageTarget } from './message-spans';
import { HEADER_GETTER, publishEnd, setError, spanAttributes } from './message-spans';

const RECEIVE_OPERATION_TYPE = 'receive';

/** A pull (`receive`) span: the messages it brought are links, since each has its own producer. */
export interface Receiving {
  /** Links the span to the message's producer span (its creation context). */
  received(message: ConsumedMessage): void;
  end(error?: unknown): void;
}

/**
 * Starts a `receive` span (kind `CONSUMER`, a child of the caller's context) for a call that
 * pulls messages: `channel.get()`, a JetStream `fetch()` or `next()`. Each message it brings is
 * a link to its producer span, as the semantic conventions ask for a batch (a span has one
 * parent, a batch has many producers). A batch call gets `messaging.batch.message_count`.
 *
 * The span is made when the first message arrives (with the call's start time), or when the
 * call fails: a pull that brought nothing makes no span, so an idle consumer polling an empty
 * queue fills no trace backend. Every pull is timed in `messaging.client.operation.duration`;
 * its messages are counted where they are processed, not here.
 */
export function startReceive(tracer: Tracer, target: MessageTarget, batch: boolean): Receiving {
  const active = context.active();
  const startTime = performance.timeOrigin + performance.now();
  const startedAt = performance.now();
  let span: Span | undefined;
  const open = (): Span =>
    (span ??= tracer.startSpan(`${target.operationName} ${target.destination}`, { kind: SpanKind.CONSUMER, attributes: spanAttributes(target, RECEIVE_OPERATION_TYPE), startTime }, active));
  let count = 0;
  let ended = false;
  return {
    received: (message) => {
      if (ended) return;
      count += 1;
      const received = open();
      const producer = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, message, HEADER_GETTER));
      if (producer && isSpanContextValid(producer)) received.addLink({ context: producer, attributes: linkAttributes(message) });
      if (!batch) for (const [key, value] of Object.entries(message.attributes)) if (value !== undefined) received.setAttribute(key, value);
    },
    end: (error?: unknown) => {
      if (ended) return;
      ended = true;
      const errorType = error === undefined ? undefined : errorTypeOf(error);
      if (errorType) setError(open(), errorType, error);
      if (span) {
        if (batch) span.setAttribute('messaging.batch.message_count', count);
        span.end();
      }
      publishEnd(RECEIVE_OPERATION_TYPE, target, span, startedAt, errorType, getRequestContext(active)?.requestId);
    },
  };
}

function linkAttributes(message: ConsumedMessage): Attributes {
  const id = message.attributes['messaging.message.id'];
  return id === undefined ? {} : { 'messaging.message.id': id };
}
