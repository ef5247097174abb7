import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { AttachContext } from './iterated-messages';
import { traceIteration } from './iterated-messages';
import type { ConsumedMessage, ProcessingMessage } from './message-spans';
import type { Receiving } from './receive-spans';
import { processMessage } from './message-spans';
import { startReceive } from './receive-spans';
import type { JetStreamMessage, Method } from './nats-messages';
import { SYSTEM, asClient, clientRole, describe, prototypeOf } from './nats-messages';
import { attempt, endWhenDone, patchMethod } from './patch';

const processing = new WeakMap<object, ProcessingMessage>();
/** The `receive` span of each JetStream `fetch()`, told of each message the batch yields. */
const fetches = new WeakMap<object, Receiving>();

/**
 * JetStream's consumers: messages a `consume({ callback })` receives or a loop reads from
 * `consume()`/`fetch()` (and an ordered consumer's) run in a consumer span continuing their
 * producer; a `fetch()` is also one `receive` span linked to each message's producer, `next()`
 * one linked to its message's. `nak`/`term` mark the consumer span. Returns the restores.
 */
export function instrumentJetStreamConsumers(consumerModule: unknown, messageModule: unknown, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): (() => void)[] {
  const restores: (() => void)[] = [];
  const consumer = prototypeOf(consumerModule, 'PullConsumerImpl');
  if (consumer) {
    restores.push(
      patchMethod(consumer, 'consume', (original) => wrapConsume(original as Method, tracer, diagnostics)),
      patchMethod(consumer, 'fetch', (original) => wrapFetch(original as Method, tracer, diagnostics)),
      patchMethod(consumer, 'next', (original) => wrapNext(original as Method, tracer, diagnostics)),
    );
  }
  const pulled = prototypeOf(consumerModule, 'PullConsumerMessagesImpl');
  if (pulled) restores.push(patchMethod(pulled, 'iterate', (original) => wrapPulledIteration(original as Method, tracer, diagnostics, attach)));
  const ordered = prototypeOf(consumerModule, 'OrderedPullConsumerImpl');
  const orderedMessages = prototypeOf(consumerModule, 'OrderedConsumerMessages');
  if (ordered && orderedMessages) {
    restores.push(
      patchMethod(ordered, 'reset', (original) => wrapOrderedReset(original as Method)),
      patchMethod(orderedMessages, 'iterate', (original) => wrapPulledIteration(original as Method, tracer, diagnostics, attach)),
    );
  }
  const message = prototypeOf(messageModule, 'JsMsgImpl');
  if (message) {
    for (const settlement of ['nak', 'term']) {
      restores.push(patchMethod(message, settlement, (original) => markSettlement(original as Method, settlement)));
    }
  }
  return restores;
}

function wrapConsume(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function consume(this: unknown, options, ...rest) {
    const given = options as { callback?: (message: JetStreamMessage) => unknown } | undefined;
    const role = clientRole();
    if (typeof given?.callback !== 'function' || role === 'internal') return original.call(this, options, ...rest);
    const callback = given.callback;
    const consumerName = role === 'ordered' ? null : (this as { name?: string }).name;
    const traced = (message: JetStreamMessage): unknown => {
      const consumed = attempt(diagnostics, 'nats jetstream consume', () => describeJetStream(message, consumerName));
      if (!consumed) return callback(message);
      return processMessage(tracer, consumed, (state) => {
        processing.set(message, state);
        return callback(message);
      });
    };
    return original.call(this, { ...given, callback: traced }, ...rest);
  };
}

/** `consumerName` null: an ordered consumer's, whose ephemeral name is no group. */
function describeJetStream(message: JetStreamMessage, consumerName: string | undefined | null): ConsumedMessage {
  const group: Attributes = consumerName === null ? {} : { 'messaging.consumer.group.name': consumerName ?? message.info.consumer };
  return describe(message, {
    ...group,
    'messaging.message.redelivered': message.redelivered,
    'messaging.nats.message.delivery_count': message.info.redeliveryCount,
    'messaging.nats.stream.name': message.info.stream,
    'messaging.message.id': String(message.seq),
  });
}

function wrapPulledIteration(original: Method, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): Method {
  return function iterate(this: unknown, ...args) {
    const iterator = original.apply(this, args) as AsyncIterator<JetStreamMessage>;
    if (clientRole()) return iterator;
    // An ordered consumer's messages (no `consumer` here) carry no group: its name is ephemeral.
    const consumerName = (this as { consumer?: { name?: string } }).consumer?.name ?? null;
    const batch = fetches.get(this as object);
    const closed = attempt(diagnostics, 'nats jetstream iteration', () => {
      const messages = this as { closed?: () => PromiseLike<unknown>; consumer?: { api?: { nc?: { closed?: () => PromiseLike<unknown> } } } };
      const ends = [messages.closed?.(), messages.consumer?.api?.nc?.closed?.()].filter((promise): promise is PromiseLike<unknown> => promise !== undefined);
      return Promise.race(ends);
    });
    return traceIteration(iterator, tracer, diagnostics, attach, {
      closed,
      describe: (message) => describeJetStream(message, consumerName),
      started: (message, state) => {
        processing.set(message, state);
        batch?.received(describeJetStream(message, consumerName));
      },
    });
  };
}

/** An ordered consumer (re)starts its pull: with the role that tells what is the app's. */
function wrapOrderedReset(original: Method): Method {
  return function reset(this: unknown, ...args) {
    const role = typeof (this as { userCallback?: unknown }).userCallback === 'function' ? 'ordered' : 'internal';
    return asClient(role, () => original.apply(this, args));
  };
}

/** A `fetch()` is one pull of a batch: a `receive` span from the call until the batch is read. */
function wrapFetch(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function fetch(this: unknown, ...args) {
    if (clientRole()) return original.apply(this, args);
    const stream = (this as { stream?: string }).stream ?? '';
    const receiving = attempt(diagnostics, 'nats jetstream fetch', () =>
      startReceive(tracer, { system: SYSTEM, destination: stream, operationName: 'fetch', attributes: { 'messaging.consumer.group.name': String((this as { name?: string }).name ?? '') } }, true),
    );
    if (!receiving) return original.apply(this, args);
    // The span ends when the batch is read (its iterator closes), or at once if the call fails.
    const failed = (error?: unknown): void => {
      if (error !== undefined) receiving.end(error);
    };
    return endWhenDone(() => original.apply(this, args), failed, (messages) =>
      attempt(diagnostics, 'nats jetstream fetch', () => {
        fetches.set(messages as object, receiving);
        (messages as { closed(): Promise<unknown> }).closed().then(
          () => receiving.end(),
          (error: unknown) => receiving.end(error),
        );
      }),
    );
  };
}

/** `next()` pulls one message: a `receive` span linked to it; the caller goes on in its own context. */
function wrapNext(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function next(this: unknown, ...args) {
    const consumerName = (this as { name?: string }).name;
    const receiving = attempt(diagnostics, 'nats jetstream next', () =>
      startReceive(tracer, { system: SYSTEM, destination: (this as { stream?: string }).stream ?? '', operationName: 'next', attributes: { 'messaging.consumer.group.name': String(consumerName ?? '') } }, false),
    );
    const call = () => asClient('internal', () => original.apply(this, args));
    if (!receiving) return call();
    return endWhenDone(call, receiving.end, (message) => {
      if (message) attempt(diagnostics, 'nats jetstream next', () => receiving.received(describeJetStream(message as JetStreamMessage, consumerName)));
    });
  };
}

function markSettlement(original: Method, errorType: string): Method {
  return function settle(this: unknown, ...args) {
    processing.get(this as object)?.markRejected(errorType);
    return original.apply(this, args);
  };
}
