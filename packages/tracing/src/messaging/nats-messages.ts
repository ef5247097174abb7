import type { Attributes } from '@opentelemetry/api';
import { context, createContextKey } from '@opentelemetry/api';
import type { ConsumedMessage } from './message-spans';

export interface NatsHeaders {
  get(name: string): string;
  set(name: string, value: string): void;
  append(name: string, value: string): void;
  has(name: string): boolean;
  keys(): string[];
  values(name: string): string[];
}
export interface NatsMessage {
  subject: string;
  data: Uint8Array;
  headers?: NatsHeaders;
}
export interface JetStreamMessage extends NatsMessage {
  redelivered: boolean;
  seq: number;
  info: { redeliveryCount: number; stream: string; consumer: string };
}
export type Method = (this: unknown, ...args: unknown[]) => unknown;
export type MessageCallback = (error: unknown, message: NatsMessage) => unknown;

export const SYSTEM = 'nats';

/** A class's prototype from one of the package's modules, if this version has it. */
export function prototypeOf(module: unknown, name: string): object | undefined {
  return (module as Record<string, { prototype: object } | undefined> | undefined)?.[name]?.prototype;
}

// Set while the client consumes for itself. `internal`: `consumer.next()` reads a one-message
// pull with `for await`, an ordered consumer read by iteration consumes through a callback of
// its own: neither is the app's handler (the ordered consumer's iterator is traced instead).
// `ordered`: an ordered consumer hands its internal callback's messages to the app's callback,
// so that callback is traced, without the consumer's name (a new ephemeral one at each reset).
const INSIDE_CLIENT = createContextKey('threadline.messaging.nats.inside-client');
export type ClientRole = 'internal' | 'ordered' | undefined;
export const clientRole = (): ClientRole => context.active().getValue(INSIDE_CLIENT) as ClientRole;
export const asClient = <T>(role: ClientRole, call: () => T): T => context.with(context.active().setValue(INSIDE_CLIENT, role), call);

export function describe(message: NatsMessage, attributes: Attributes): ConsumedMessage {
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

/** Replies to inboxes and `$JS`/`$SYS` subjects are the client's plumbing, not the app's messages. */
export function isPlumbing(subject: unknown): boolean {
  return typeof subject !== 'string' || subject.startsWith('_INBOX.') || subject.startsWith('$');
}
