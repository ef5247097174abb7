import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { ConsumedMessage, ProcessingMessage } from './message-spans';
import type { Receiving } from './receive-spans';
import { processMessage, startProducerSpan } from './message-spans';
import { startReceive } from './receive-spans';
import { attempt, bodySize, endWhenDone, headerText, patchMethod } from './patch';

interface AmqpMessage {
  content: Buffer;
  fields: { deliveryTag?: number; redelivered?: boolean; exchange?: string; routingKey?: string; consumerTag?: string };
  properties: { headers?: Record<string, unknown>; messageId?: string; correlationId?: string };
}
interface PublishOptions {
  headers?: Record<string, unknown>;
  messageId?: string;
  correlationId?: string;
}
type ChannelMethod = (this: unknown, ...args: unknown[]) => unknown;

const SYSTEM = 'rabbitmq';
const processing = new WeakMap<object, ProcessingMessage>();

/** amqplib's two APIs: the promise one (`amqplib`) and the callback one (`amqplib/callback_api`). */
export interface AmqplibModels {
  promise: unknown;
  callback: unknown;
}

/**
 * RabbitMQ through amqplib, both its promise API (`amqplib`) and its callback API
 * (`amqplib/callback_api`): `publish`/`sendToQueue` get a producer span and write the trace and
 * request into the message's headers; each message a `consume` callback receives runs in a
 * consumer span continuing them; `get` (a pull) is a `receive` span linked to the message's
 * producer, and with the callback API its callback runs like a consumer's; `nack`/`reject`
 * mark the consumer span.
 */
export function instrumentAmqplib(models: AmqplibModels, tracer: Tracer, diagnostics: Diagnostics): () => void {
  const channelOf = (model: unknown) => (model as { Channel?: { prototype: object } } | undefined)?.Channel?.prototype;
  const promiseChannel = channelOf(models.promise);
  const callbackChannel = channelOf(models.callback);
  if (!promiseChannel && !callbackChannel) {
    diagnostics.warn('this amqplib version has no Channel class where Threadline expects it: RabbitMQ messages will not be traced');
    return () => {};
  }
  const restores: (() => void)[] = [];
  for (const [channel, callbackApi] of [
    [promiseChannel, false],
    [callbackChannel, true],
  ] as const) {
    if (!channel) continue;
    restores.push(
      patchMethod(channel, 'publish', (original) => wrapPublish(original as ChannelMethod, tracer, diagnostics)),
      patchMethod(channel, 'consume', (original) => wrapConsume(original as ChannelMethod, tracer, diagnostics)),
      patchMethod(channel, 'get', (original) => (callbackApi ? wrapCallbackGet : wrapPromiseGet)(original as ChannelMethod, tracer, diagnostics)),
      patchMethod(channel, 'nack', (original) => markSettlement(original as ChannelMethod, 'nack')),
      patchMethod(channel, 'reject', (original) => markSettlement(original as ChannelMethod, 'reject')),
    );
  }
  return () => restores.forEach((restore) => restore());
}

function wrapPublish(original: ChannelMethod, tracer: Tracer, diagnostics: Diagnostics): ChannelMethod {
  return function publish(this: unknown, exchange, routingKey, content, options, ...rest) {
    const traced = attempt(diagnostics, 'amqplib publish', () => {
      // The caller's options are copied, never written into.
      const given = (options ?? {}) as PublishOptions;
      const headers: Record<string, unknown> = { ...given.headers };
      const attributes: Attributes = { 'messaging.rabbitmq.destination.routing_key': String(routingKey ?? '') };
      const size = bodySize(content);
      if (size !== undefined) attributes['messaging.message.body.size'] = size;
      if (given.messageId) attributes['messaging.message.id'] = given.messageId;
      if (given.correlationId) attributes['messaging.message.conversation_id'] = given.correlationId;
      const end = startProducerSpan(
        tracer,
        { system: SYSTEM, destination: destinationOf(String(exchange ?? ''), String(routingKey ?? '')), operationName: 'publish', attributes },
        (name, value) => (headers[name] = value),
      );
      return { end, options: { ...given, headers } };
    });
    if (!traced) return original.call(this, exchange, routingKey, content, options, ...rest);
    return endWhenDone(() => original.call(this, exchange, routingKey, content, traced.options, ...rest), traced.end);
  };
}

/** The semantic conventions' RabbitMQ destination: `{exchange}:{routing key}`, or whichever is set. */
function destinationOf(exchange: string, routingKey: string): string {
  if (exchange && routingKey) return `${exchange}:${routingKey}`;
  return exchange || routingKey || 'amq.default';
}

function wrapConsume(original: ChannelMethod, tracer: Tracer, diagnostics: Diagnostics): ChannelMethod {
  return function consume(this: unknown, queue, callback, ...rest) {
    if (typeof callback !== 'function') return original.call(this, queue, callback, ...rest);
    const handler = callback as (message: AmqpMessage | null) => unknown;
    const destination = String(queue);
    const traced = (message: AmqpMessage | null): unknown => {
      const consumed = message ? attempt(diagnostics, 'amqplib consume', () => describe(message, destination)) : undefined;
      if (!message || !consumed) return handler(message);
      return processMessage(tracer, consumed, (state) => {
        processing.set(message, state);
        return handler(message);
      });
    };
    return original.call(this, queue, traced, ...rest);
  };
}

function startGet(tracer: Tracer, diagnostics: Diagnostics, queue: unknown): Receiving | undefined {
  return attempt(diagnostics, 'amqplib get', () => startReceive(tracer, { system: SYSTEM, destination: String(queue), operationName: 'get', attributes: {} }, false));
}

/** `get` resolves to the message or `false`: the caller goes on in its own context, with the span linked to the producer. */
function wrapPromiseGet(original: ChannelMethod, tracer: Tracer, diagnostics: Diagnostics): ChannelMethod {
  return function get(this: unknown, queue, ...rest) {
    const receiving = startGet(tracer, diagnostics, queue);
    if (!receiving) return original.call(this, queue, ...rest);
    return endWhenDone(
      () => original.call(this, queue, ...rest),
      receiving.end,
      (message) => {
        if (message) attempt(diagnostics, 'amqplib get', () => receiving.received(describe(message as AmqpMessage, String(queue))));
      },
    );
  };
}

/** The callback API hands the message to a callback: it runs in a consumer span, like a `consume` callback. */
function wrapCallbackGet(original: ChannelMethod, tracer: Tracer, diagnostics: Diagnostics): ChannelMethod {
  return function get(this: unknown, queue, options, callback, ...rest) {
    if (typeof callback !== 'function') return original.call(this, queue, options, callback, ...rest);
    const receiving = startGet(tracer, diagnostics, queue);
    if (!receiving) return original.call(this, queue, options, callback, ...rest);
    const handler = callback as (error: unknown, message: AmqpMessage | false | undefined) => unknown;
    const traced = (error: unknown, message: AmqpMessage | false | undefined): unknown => {
      const consumed = message ? attempt(diagnostics, 'amqplib get', () => describe(message, String(queue))) : undefined;
      if (consumed) receiving.received(consumed);
      receiving.end(error ?? undefined);
      if (!message || !consumed) return handler(error, message);
      return processMessage(tracer, consumed, (state) => {
        processing.set(message, state);
        return handler(error, message);
      });
    };
    return original.call(this, queue, options, traced, ...rest);
  };
}

function describe(message: AmqpMessage, queue: string): ConsumedMessage {
  const headers = message.properties.headers ?? {};
  const attributes: Attributes = {
    'messaging.message.body.size': message.content.length,
    'messaging.message.redelivered': message.fields.redelivered === true,
  };
  if (message.fields.routingKey !== undefined) attributes['messaging.rabbitmq.destination.routing_key'] = message.fields.routingKey;
  if (message.fields.deliveryTag !== undefined) attributes['messaging.rabbitmq.message.delivery_tag'] = message.fields.deliveryTag;
  if (message.properties.messageId) attributes['messaging.message.id'] = message.properties.messageId;
  if (message.properties.correlationId) attributes['messaging.message.conversation_id'] = message.properties.correlationId;
  return {
    system: SYSTEM,
    destination: queue,
    operationName: 'process',
    attributes,
    header: (name) => headerText(headers[name]),
    headerNames: () => Object.keys(headers),
  };
}

function markSettlement(original: ChannelMethod, errorType: string): ChannelMethod {
  return function settle(this: unknown, message, ...rest) {
    if (typeof message === 'object' && message !== null) processing.get(message)?.markRejected(errorType);
    return original.call(this, message, ...rest);
  };
}
