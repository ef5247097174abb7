import type { Attributes, Tracer } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { ConsumedMessage } from './message-spans';
import { processMessage, startProducerSpan } from './message-spans';
import { attempt, bodySize, headerText, patchMethod } from './patch';

interface PublishOptions {
  qos?: number;
  properties?: { userProperties?: Record<string, string | string[]> };
}
interface MqttPacket {
  messageId?: number;
  qos?: number;
  dup?: boolean;
  properties?: { userProperties?: Record<string, string | string[]> };
}
type Method = (this: unknown, ...args: unknown[]) => unknown;
type MessageListener = ((topic: string, payload: Buffer, packet: MqttPacket) => unknown) & { listener?: unknown };

const SYSTEM = 'mqtt';
const MQTT_5 = 5;
const LISTENER_METHODS = ['on', 'addListener', 'prependListener'];

/**
 * MQTT (`mqtt`): `publish` gets a producer span and, on an MQTT 5 connection, writes the trace
 * and request into the message's user properties (MQTT 3.1.1 has no headers: the producer span
 * is still made, the consumer starts a new trace). Each `message` listener runs in a consumer
 * span continuing them.
 */
export function instrumentMqtt(entry: unknown, tracer: Tracer, diagnostics: Diagnostics): () => void {
  const client = (entry as { MqttClient?: { prototype: object } }).MqttClient?.prototype;
  if (!client) {
    diagnostics.warn('this mqtt version has no MqttClient class where Threadline expects it: MQTT messages will not be traced');
    return () => {};
  }
  const restores = [patchMethod(client, 'publish', (original) => wrapPublish(original as Method, tracer, diagnostics))];
  for (const name of LISTENER_METHODS) restores.push(patchMethod(client, name, (original) => wrapListen(original as Method, tracer, diagnostics)));
  return () => restores.forEach((restore) => restore());
}

function wrapPublish(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function publish(this: unknown, topic, message, options, callback, ...rest): unknown {
    if (typeof options === 'function') return publish.call(this, topic, message, undefined, options, ...rest);
    const version = (this as { options?: { protocolVersion?: number } }).options?.protocolVersion;
    const traced = attempt(diagnostics, 'mqtt publish', () => {
      const given = (options ?? {}) as PublishOptions;
      const userProperties: Record<string, string | string[]> = { ...given.properties?.userProperties };
      const attributes: Attributes = { 'messaging.mqtt.qos': given.qos ?? 0 };
      const size = bodySize(message);
      if (size !== undefined) attributes['messaging.message.body.size'] = size;
      const end = startProducerSpan(tracer, { system: SYSTEM, destination: String(topic), operationName: 'publish', attributes }, (name, value) => {
        if (version === MQTT_5) userProperties[name] = value;
      });
      const withProperties = version === MQTT_5 ? { ...given, properties: { ...given.properties, userProperties } } : given;
      return { end, options: withProperties };
    });
    if (!traced) return original.call(this, topic, message, options, callback, ...rest);
    // With a callback the span ends when the broker acknowledged (QoS 1, 2) or the packet was
    // written (QoS 0); without one, mqtt reports failures as `error` events, so it ends now.
    const acknowledged =
      typeof callback === 'function'
        ? (error: unknown, ...results: unknown[]) => {
            traced.end(error ?? undefined);
            return (callback as Method).call(this, error, ...results);
          }
        : callback;
    try {
      const result = original.call(this, topic, message, traced.options, acknowledged, ...rest);
      if (typeof callback !== 'function') traced.end();
      return result;
    } catch (error) {
      traced.end(error);
      throw error;
    }
  };
}

function wrapListen(original: Method, tracer: Tracer, diagnostics: Diagnostics): Method {
  return function listen(this: unknown, event, listener, ...rest) {
    if (event !== 'message' || typeof listener !== 'function') return original.call(this, event, listener, ...rest);
    const handler = listener as MessageListener;
    const traced: MessageListener = function (this: unknown, topic, payload, packet) {
      const consumed = attempt(diagnostics, 'mqtt message', () => describe(topic, payload, packet));
      if (!consumed) return handler.call(this, topic, payload, packet);
      return processMessage(tracer, consumed, () => handler.call(this, topic, payload, packet));
    };
    // EventEmitter matches `.listener` on removal, so `off('message', handler)` still works.
    traced.listener = handler;
    return original.call(this, event, traced, ...rest);
  };
}

function describe(topic: string, payload: Buffer, packet: MqttPacket | undefined): ConsumedMessage {
  const properties = packet?.properties?.userProperties ?? {};
  const attributes: Attributes = { 'messaging.message.body.size': payload.length, 'messaging.mqtt.qos': packet?.qos ?? 0, 'messaging.message.redelivered': packet?.dup === true };
  if (packet?.messageId) attributes['messaging.message.id'] = String(packet.messageId);
  return {
    system: SYSTEM,
    destination: topic,
    operationName: 'process',
    attributes,
    header: (name) => headerText(properties[name]),
    headerNames: () => Object.keys(properties),
  };
}
