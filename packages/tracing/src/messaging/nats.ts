import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import { context, createContextKey } from '@opentelemetry/api';
import type { AttachContext } from './iterated-messages';
import { traceIteration } from './iterated-messages';
import type { ConsumedMessage, ProcessingMessage, Receiving } from './message-spans';
import { isInsideProducer, processMessage, runInsideProducer, startProducerSpan, startReceive } from './message-spans';
import { attempt, bodySize, endWhenDone, endWhenSettled, patchMethod } from './patch';

interface NatsHeaders {
  get(name: string): string;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  has(name: string): boolean;
  keys(): string[];
  values(name: string): string[];
}
interface NatsMessage {
  subject: string;
  data: Uint8Array;
  headers?: NatsHeaders;
}
interface JetStreamMessage extends NatsMessage {
  redelivered: boolean;
  seq: number;
  info: { redeliveryCount: number; stream: string; consumer: string };
}
type Method = (this: unknown, ...args: unknown[]) => unknown;
type MessageCallback = (error: unknown, message: NatsMessage) => unknown;

/** The nats package's modules Threadline patches (its entry point re-exports none of the classes). */
export interface NatsModules {
  entry: unknown;
  connection: unknown;
  jetStreamClient: unknown;
  consumer: unknown;
  jetStreamMessage: unknown;
  /** Where `SubscriptionImpl` lives (core subscriptions read by async iteration). */
  protocol: unknown;
}

const SYSTEM = 'nats';
const processing = new WeakMap<object, ProcessingMessage>();
/** The `receive` span of each JetStream `fetch()`, told of each message the batch yields. */
const fetches = new WeakMap<object, Receiving>();
// Set while the client consumes for itself. `internal`: `consumer.next()` reads a one-message
// pull with `for await`, an ordered consumer read by iteration consumes through a callback of
// its own: neither is the app's handler (the ordered consumer's iterator is traced instead).
// `ordered`: an ordered consumer hands its internal callback's messages to the app's callback,
// so that callback is traced, without the consumer's name (a new ephemeral one at each reset).
const INSIDE_CLIENT = createContextKey('threadline.messaging.nats.inside-client');
type ClientRole = 'internal' | 'ordered' | undefined;
const clientRole = (): ClientRole => context.active().getValue(INSIDE_CLIENT) as ClientRole;
const asClient = <T>(role: ClientRole, call: () => T): T => context.with(context.active().setValue(INSIDE_CLIENT, role), call);

/**
 * NATS (`nats`): core `publish` and JetStream `publish` get a producer span and write the trace
 * and request into NATS headers; messages a callback receives (core `subscribe({ callback })`,
 * JetStream `consumer.consume({ callback })`) or read by async iteration (`for await` over a
 * subscription, `consume()` or `fetch()`) run in a consumer span continuing them. A `fetch()`
 * is also one `receive` span linked to each message's producer, and `next()` one linked to
 * its message's. Inboxes and `$`-subjects (requests' replies, JetStream's API and acks) are
 * the client's plumbing and are skipped. `nak`/`term` mark the consumer span.
 */
export function instrumentNats(modules: NatsModules, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): () => void {
  const createHeaders = (modules.entry as { headers?: () => NatsHeaders }).headers;
  const prototypeOf = (module: unknown, name: string) => (module as Record<string, { prototype: object } | undefined> | undefined)?.[name]?.prototype;
  const connection = prototypeOf(modules.connection, 'NatsConnectionImpl');
  if (!createHeaders || !connection) {
    diagnostics.warn('this nats version does not have the classes Threadline expects: NATS messages will not be traced');
    return () => {};
  }
  const copyHeaders = (given: NatsHeaders | undefined): NatsHeaders => {
    const copy = createHeaders();
    for (const name of given?.keys() ?? []) for (const value of given!.values(name)) copy.append(name, value);
    return copy;
  };
  const restores = [
    patchMethod(connection, 'publish', (original) => wrapCorePublish(original as Method, tracer, diagnostics, copyHeaders)),
    patchMethod(connection, 'subscribe', (original) => wrapSubscribe(original as Method, tracer, diagnostics)),
  ];
  const jetStream = prototypeOf(modules.jetStreamClient, 'JetStreamClientImpl');
  if (jetStream) restores.push(patchMethod(jetStream, 'publish', (original) => wrapJetStreamPublish(original as Method, tracer, diagnostics, copyHeaders)));
  const consumer = prototypeOf(modules.consumer, 'PullConsumerImpl');
  if (consumer) {
    restores.push(
      patchMethod(consumer, 'consume', (original) => wrapConsume(original as Method, tracer, diagnostics)),
      patchMethod(consumer, 'fetch', (original) => wrapFetch(original as Method, tracer, diagnostics)),
      patchMethod(consumer, 'next', (original) => wrapNext(original as Method, tracer, diagnostics)),
    );
  }
  const subscription = prototypeOf(modules.protocol, 'SubscriptionImpl');
  if (subscription) restores.push(patchMethod(subscription, 'iterate', (original) => wrapSubscriptionIteration(original as Method, tracer, diagnostics, attach)));
  const pulled = prototypeOf(modules.consumer, 'PullConsumerMessagesImpl');
  if (pulled) restores.push(patchMethod(pulled, 'iterate', (original) => wrapPulledIteration(original as Method, tracer, diagnostics, attach)));
  const ordered = prototypeOf(modules.consumer, 'OrderedPullConsumerImpl');
  const orderedMessages = prototypeOf(modules.consumer, 'OrderedConsumerMessages');
  if (ordered && orderedMessages) {
    restores.push(
      patchMethod(ordered, 'reset', (original) => wrapOrderedReset(original as Method)),
      patchMethod(orderedMessages, 'iterate', (original) => wrapPulledIteration(original as Method, tracer, diagnostics, attach)),
    );
  }
  const message = prototypeOf(modules.jetStreamMessage, 'JsMsgImpl');
  if (message) {
    for (const settlement of ['nak', 'term']) {
      restores.push(patchMethod(message, settlement, (original) => markSettlement(original as Method, settlement)));
    }
  }
  return () => restores.forEach((restore) => restore());
}

/** Replies to inboxes and `$JS`/`$SYS` subjects are the client's plumbing, not the app's messages. */
function isPlumbing(subject: unknown): boolean {
  return typeof subject !== 'string' || subject.startsWith('_INBOX.') || subject.startsWith('$');
}

function wrapCorePublish(original: Method, tracer: Tracer, diagnostics: Diagnostics, copyHeaders: (given?: NatsHeaders) => NatsHeaders): Method {
  return function publish(this: unknown, subject, data, options, ...rest) {
    if (isPlumbing(subject) || isInsideProducer()) return original.call(this, subject, data, options, ...rest);
    const given = (options ?? {}) as { headers?: NatsHeaders };
    const traced = attempt(diagnostics, 'nats publish', () => {
      const headers = copyHeaders(given.headers);
      const end = startProducerSpan(tracer, target(String(subject), 'publish', data), (name, value) => headers.set(name, value));
      return { end, options: { ...given, headers } };
    });
    if (!traced) return original.call(this, subject, data, options, ...rest);
    return endWhenDone(() => original.call(this, subject, data, traced.options, ...rest), traced.end);
  };
}

function wrapJetStreamPublish(original: Method, tracer: Tracer, diagnostics: Diagnostics, copyHeaders: (given?: NatsHeaders) => NatsHeaders): Method {
  return function publish(this: unknown, subject, data, options, ...rest) {
    if (isPlumbing(subject)) return original.call(this, subject, data, options, ...rest);
    const given = (options ?? {}) as { headers?: NatsHeaders; msgID?: string };
    const traced = attempt(diagnostics, 'nats jetstream publish', () => {
      const headers = copyHeaders(given.headers);
      const attributes = target(String(subject), 'publish', data);
      if (given.msgID) attributes.attributes['messaging.message.id'] = given.msgID;
      const end = startProducerSpan(tracer, attributes, (name, value) => headers.set(name, value));
      return { end, options: { ...given, headers } };
    });
    if (!traced) return original.call(this, subject, data, options, ...rest);
    return endWhenDone(() => runInsideProducer(() => original.call(this, subject, data, traced.options, ...rest)), traced.end);
  };
}

function target(subject: string, operationName: string, data: unknown): { system: string; destination: string; operationName: string; attributes: Attributes } {
  const attributes: Attributes = {};
  const size = bodySize(data);
  if (size !== undefined) attributes['messaging.message.body.size'] = size;
  return { system: SYSTEM, destination: subject, operationName, attributes };
}

function wrapSubscribe(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function subscribe(this: unknown, subject, options, ...rest) {
    const given = options as { callback?: MessageCallback; queue?: string } | undefined;
    if (isPlumbing(subject) || typeof given?.callback !== 'function') return original.call(this, subject, options, ...rest);
    const callback = given.callback;
    const extra: Attributes = { 'messaging.destination.subscription.name': String(subject) };
    if (given.queue) extra['messaging.consumer.group.name'] = given.queue;
    const traced: MessageCallback = (error, message) => {
      const consumed = error ? undefined : attempt(diagnostics, 'nats subscribe', () => describe(message, extra));
      if (!consumed) return callback(error, message);
      return processMessage(tracer, consumed, () => callback(error, message));
    };
    return original.call(this, subject, { ...given, callback: traced }, ...rest);
  };
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

function wrapSubscriptionIteration(original: Method, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): Method {
  return function iterate(this: unknown, ...args) {
    const iterator = original.apply(this, args) as AsyncIterator<NatsMessage>;
    const subscription = this as { subject?: unknown; queue?: string };
    if (isPlumbing(subscription.subject) || clientRole()) return iterator;
    const extra: Attributes = { 'messaging.destination.subscription.name': String(subscription.subject) };
    if (subscription.queue) extra['messaging.consumer.group.name'] = subscription.queue;
    return traceIteration(iterator, tracer, diagnostics, attach, { describe: (message) => describe(message, extra) });
  };
}

function wrapPulledIteration(original: Method, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): Method {
  return function iterate(this: unknown, ...args) {
    const iterator = original.apply(this, args) as AsyncIterator<JetStreamMessage>;
    if (clientRole()) return iterator;
    // An ordered consumer's messages (no `consumer` here) carry no group: its name is ephemeral.
    const consumerName = (this as { consumer?: { name?: string } }).consumer?.name ?? null;
    const batch = fetches.get(this as object);
    return traceIteration(iterator, tracer, diagnostics, attach, {
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
    const result = endWhenDone(
      () => original.apply(this, args),
      (error) => error !== undefined && receiving.end(error),
    ) as Promise<{ closed(): Promise<unknown> }>;
    return result.then((messages) => {
      attempt(diagnostics, 'nats jetstream fetch', () => {
        fetches.set(messages, receiving);
        messages.closed().then(
          () => receiving.end(),
          (error: unknown) => receiving.end(error),
        );
      });
      return messages;
    });
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
    return endWhenSettled(call(), (error) => receiving.end(error), (message) => {
      if (message) attempt(diagnostics, 'nats jetstream next', () => receiving.received(describeJetStream(message as JetStreamMessage, consumerName)));
    });
  };
}

function describe(message: NatsMessage, attributes: Attributes): ConsumedMessage {
  const headers = message.headers;
  return {
    system: SYSTEM,
    destination: message.subject,
    operationName: 'process',
    attributes: { 'messaging.message.body.size': message.data.length, ...attributes },
    header: (name) => (headers?.has(name) ? headers.get(name) : undefined),
    headerNames: () => headers?.keys() ?? [],
  };
}

function markSettlement(original: Method, errorType: string): Method {
  return function settle(this: unknown, ...args) {
    processing.get(this as object)?.markRejected(errorType);
    return original.apply(this, args);
  };
}
