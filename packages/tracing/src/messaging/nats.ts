import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { AttachContext } from './iterated-messages';
import { traceIteration } from './iterated-messages';
import { isInsideProducer, processMessage, runInsideProducer, startProducerSpan } from './message-spans';
import { instrumentJetStreamConsumers } from './nats-consumers';
import type { MessageCallback, Method, NatsHeaders, NatsMessage } from './nats-messages';
import { SYSTEM, clientRole, describe, isPlumbing, prototypeOf } from './nats-messages';
import { attempt, bodySize, endWhenDone, patchMethod } from './patch';

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
  const subscription = prototypeOf(modules.protocol, 'SubscriptionImpl');
  if (subscription) restores.push(patchMethod(subscription, 'iterate', (original) => wrapSubscriptionIteration(original as Method, tracer, diagnostics, attach)));
  restores.push(...instrumentJetStreamConsumers(modules.consumer, modules.jetStreamMessage, tracer, diagnostics, attach));
  return () => restores.forEach((restore) => restore());
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

function wrapSubscriptionIteration(original: Method, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext): Method {
  return function iterate(this: unknown, ...args) {
    const iterator = original.apply(this, args) as AsyncIterator<NatsMessage>;
    const subscription = this as { subject?: unknown; queue?: string };
    if (isPlumbing(subscription.subject) || clientRole()) return iterator;
    const extra: Attributes = { 'messaging.destination.subscription.name': String(subscription.subject) };
    if (subscription.queue) extra['messaging.consumer.group.name'] = subscription.queue;
    // An iterated subscription closes only when its iterator is read again: the connection's
    // close is the other way to know no next message will be asked for.
    const { closed, protocol } = this as { closed?: PromiseLike<unknown>; protocol?: { closed?: PromiseLike<unknown> } };
    const ends = [closed, protocol?.closed].filter((promise): promise is PromiseLike<unknown> => promise !== undefined);
    return traceIteration(iterator, tracer, diagnostics, attach, { describe: (message) => describe(message, extra), closed: Promise.race(ends) });
  };
}

