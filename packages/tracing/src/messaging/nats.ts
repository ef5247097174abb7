import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { ConsumedMessage, ProcessingMessage } from './message-spans';
import { isInsideProducer, processMessage, runInsideProducer, startProducerSpan } from './message-spans';
import { attempt, bodySize, endWhenDone, patchMethod } from './patch';

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
}

const SYSTEM = 'nats';
const processing = new WeakMap<object, ProcessingMessage>();

/**
 * NATS (`nats`): core `publish` and JetStream `publish` get a producer span and write the trace
 * and request into NATS headers; messages a callback receives (core `subscribe({ callback })`,
 * JetStream `consumer.consume({ callback })`) run in a consumer span continuing them. Inboxes
 * and `$`-subjects (requests' replies, JetStream's API and acks) are the client's plumbing and
 * are skipped. `nak`/`term` mark the consumer span.
 */
export function instrumentNats(modules: NatsModules, tracer: Tracer, diagnostics: Diagnostics): () => void {
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
  if (consumer) restores.push(patchMethod(consumer, 'consume', (original) => wrapConsume(original as Method, tracer, diagnostics)));
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
    if (typeof given?.callback !== 'function') return original.call(this, options, ...rest);
    const callback = given.callback;
    const consumerName = (this as { name?: string }).name;
    const traced = (message: JetStreamMessage): unknown => {
      const consumed = attempt(diagnostics, 'nats jetstream consume', () =>
        describe(message, {
          'messaging.consumer.group.name': consumerName ?? message.info.consumer,
          'messaging.message.redelivered': message.redelivered,
          'messaging.nats.message.delivery_count': message.info.redeliveryCount,
          'messaging.nats.stream.name': message.info.stream,
          'messaging.message.id': String(message.seq),
        }),
      );
      if (!consumed) return callback(message);
      return processMessage(tracer, consumed, (state) => {
        processing.set(message, state);
        return callback(message);
      });
    };
    return original.call(this, { ...given, callback: traced }, ...rest);
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
