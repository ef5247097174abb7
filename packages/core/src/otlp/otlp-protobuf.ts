import { ProtobufWriter } from './protobuf-writer';

/*
 * The OTLP common messages (opentelemetry/proto/common/v1, resource/v1):
 * KeyValue{1 key, 2 value}; AnyValue{1 string, 2 bool, 3 int, 4 double, 5 array, 6 kvlist, 7 bytes};
 * ArrayValue{1 values}; KeyValueList{1 values}; InstrumentationScope{1 name, 2 version, 3 attributes};
 * Resource{1 attributes}.
 */

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/**
 * Per attribute key: its encoded `KeyValue.key` field, and the whole encoded `KeyValue` for the
 * value it had the last two times it was written. Most attributes of a service's spans and
 * log records repeat (method, scheme, port, route, status): those become one copy.
 */
interface KeyEntry {
  key: Uint8Array;
  lastValue: unknown;
  encoded: Uint8Array | undefined;
}

const keyEntries = new Map<string, KeyEntry>();
const MAX_CACHED_KEYS = 4096;
const MAX_CACHED_STRING = 64;
/**
 * Log fields can hold anything an app logs, cycles included (a framework's request object
 * points back to itself through its socket): past this depth a value is written as a string
 * instead of recursing, which would end in a stack overflow after growing the buffer by MBs.
 */
export const MAX_ANY_VALUE_DEPTH = 8;

function keyEntry(key: string): KeyEntry {
  let entry = keyEntries.get(key);
  if (entry === undefined) {
    entry = { key: new ProtobufWriter(key.length * 3 + 8).string(1, key).finish(), lastValue: undefined, encoded: undefined };
    if (keyEntries.size < MAX_CACHED_KEYS) keyEntries.set(key, entry);
  }
  return entry;
}

function isCacheable(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= MAX_CACHED_STRING);
}

/**
 * Nesting the encoder follows before writing `[Object]`: a backstop that keeps a cyclic or
 * absurdly deep value from overflowing the stack (log records arrive already bounded, see
 * `ValueBounder`; span attributes are flat).
 */
export const MAX_ENCODED_DEPTH = 16;

/** Each attribute as a repeated `KeyValue` in `field`; undefined and null values are left out. */
export function writeAttributes(writer: ProtobufWriter, field: number, attributes: Readonly<Record<string, unknown>>, depth = 0): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null || !Object.prototype.hasOwnProperty.call(attributes, key)) continue;
    const entry = keyEntry(key);
    if (entry.encoded !== undefined && entry.lastValue === value) {
      writer.bytes(field, entry.encoded);
      continue;
    }
    const keyValue = writer.begin(field);
    const content = writer.length;
    writer.raw(entry.key);
    const anyValue = writer.begin(2);
    writeAnyValue(writer, value, depth);
    writer.end(anyValue);
    writer.end(keyValue);
    if (!isCacheable(value)) continue;
    if (entry.lastValue === value && writer.length - content < 0x80) {
      entry.encoded = writer.copyFrom(content);
    } else {
      entry.lastValue = value;
      entry.encoded = undefined;
    }
  }
}

/** The content of an `AnyValue`. */
export function writeAnyValue(writer: ProtobufWriter, value: unknown, depth = 0): void {
  switch (typeof value) {
    case 'string':
      writer.string(1, value);
      return;
    case 'boolean':
      writer.bool(2, value);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) writer.int64(3, value);
      else writer.double(4, value);
      return;
    case 'bigint':
      writer.int64(3, value);
      return;
    case 'object':
      if (value === null) return;
      if (depth >= MAX_ANY_VALUE_DEPTH) {
        writer.string(1, Array.isArray(value) ? '[Array]' : '[Object]');
      } else if (value instanceof Uint8Array) {
        writer.bytes(7, value);
      } else if (Array.isArray(value)) {
        const array = writer.begin(5);
        for (const item of value as unknown[]) {
          const itemValue = writer.begin(1);
          writeAnyValue(writer, item, depth + 1);
          writer.end(itemValue);
        }
        writer.end(array);
      } else {
        const list = writer.begin(6);
        writeAttributes(writer, 1, value as Record<string, unknown>, depth + 1);
        writer.end(list);
      }
      return;
    default:
      if (value !== undefined) writer.string(1, String(value));
  }
}

export interface ScopeFields {
  name: string;
  version?: string;
  attributes?: Readonly<Record<string, unknown>>;
}

/** An `InstrumentationScope` message in `field`. */
export function writeScope(writer: ProtobufWriter, field: number, scope: ScopeFields): void {
  const start = writer.begin(field);
  writer.string(1, scope.name);
  if (scope.version) writer.string(2, scope.version);
  if (scope.attributes) writeAttributes(writer, 3, scope.attributes);
  writer.end(start);
}

/** A `Resource` message as field 1 (where every Resource* message has it), encoded once by the caller. */
export function encodeResourceField(attributes: Readonly<Record<string, unknown>>): Uint8Array {
  const writer = new ProtobufWriter(1024);
  const start = writer.begin(1);
  writeAttributes(writer, 1, attributes);
  writer.end(start);
  return writer.finish();
}
