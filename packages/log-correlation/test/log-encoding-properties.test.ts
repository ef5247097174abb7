import fc from 'fast-check';
import { ProtobufWriter, encodeResourceField } from '@threadline/core';
import { decodeProtobuf, flattenLogRecords } from '@threadline/testing';
import { MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT, PROPERTY_RUNS } from '../../core/test/helpers/properties';
import type { EncodableLogRecord } from '../src/log-protobuf';
import { LogBatch } from '../src/log-protobuf';

const runs = { numRuns: PROPERTY_RUNS };
const scope = { name: 'properties', version: '1' };
const unlimited = { attributeCountLimit: 1_000_000, attributeValueLengthLimit: 1_000_000_000 };
const newBatch = () => new LogBatch(encodeResourceField({ 'service.name': 'properties' }), scope, unlimited);
const record = (attributes: Record<string, unknown>, body = 'event'): EncodableLogRecord => ({
  timeMillis: 1_764_000_000_000, severityNumber: 9, severityText: 'INFO', body, attributes, spanContext: undefined,
});

// Strings with every kind of code point, lone surrogates included (UTF-8 carries those as U+FFFD).
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.constantFrom('\ud800', '\udfff', 'a', 'é', '😀'), maxLength: 10 }));
const key = text.filter((candidate) => candidate !== '__proto__');
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));
const attributes = fc.dictionary(key, value, { maxKeys: 8 });

/** What OTLP can say of a value: UTF-8 text, int64 or double (−0 is an integer), arrays and maps. */
function asReceived(input: unknown): unknown {
  if (typeof input === 'string') return Buffer.from(input, 'utf8').toString('utf8');
  if (typeof input === 'number') return Object.is(input, -0) ? 0 : input;
  if (Array.isArray(input)) return input.map(asReceived);
  if (input && typeof input === 'object') {
    const result: Record<string, unknown> = {};
    for (const [entryKey, entryValue] of Object.entries(input)) result[asReceived(entryKey) as string] = asReceived(entryValue);
    return result;
  }
  return input;
}

describe('OTLP log record and attribute encoding, for any value', () => {
  it('encodes any attributes and body so that the reference decoder reads them back', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(attributes, text), { minLength: 1, maxLength: 4 }), (records) => {
        const batch = newBatch();
        for (const [recordAttributes, body] of records) batch.add(record(recordAttributes, body));
        const received = flattenLogRecords(decodeProtobuf('logs', batch.seal()));
        expect(received).toHaveLength(records.length);
        received.forEach((got, index) => {
          const [recordAttributes, body] = records[index]!;
          expect(got.body).toBe(asReceived(body));
          expect(got.attributes).toEqual(asReceived(recordAttributes));
        });
      }),
      runs,
    );
  });

  it('leaves no partial record behind when a value cannot be encoded', () => {
    fc.assert(
      fc.property(attributes, attributes, fc.integer({ min: 1, max: 50 }), (before, after, depth) => {
        const batch = newBatch();
        batch.add(record(before));
        const bytes = batch.byteLength;
        // A cycle nested `depth` levels down: the encoder either copes or throws, never half-writes.
        const cyclic: Record<string, unknown> = {};
        let inner = cyclic;
        for (let level = 0; level < depth; level++) inner = (inner.next = {}) as Record<string, unknown>;
        inner.loop = cyclic;
        let threw = false;
        try {
          batch.add(record({ ...after, cyclic }));
        } catch {
          threw = true;
        }
        if (threw) {
          expect(batch.count).toBe(1);
          expect(batch.byteLength).toBe(bytes);
        }
        batch.add(record(after));
        const received = flattenLogRecords(decodeProtobuf('logs', batch.seal()));
        expect(received).toHaveLength(threw ? 2 : 3);
        expect(received.at(-1)?.attributes).toEqual(asReceived(after));
      }),
      // Each run overflows the stack once or more: fewer runs than the others.
      { numRuns: Math.max(30, Math.floor(PROPERTY_RUNS / 10)) },
    );
  });
});

/**
 * The encoder's work, counted rather than timed (timings of a buffer-bound loop vary too much
 * on a shared machine): one per writer call, plus every byte it copies, which is where
 * non-linear cost would hide (a buffer grown too often, a nested length moved too often).
 */
function countWork(run: () => void): number {
  const prototype = ProtobufWriter.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const writer = prototype as unknown as { buffer: Buffer; position: number };
  const originals = { end: prototype.end!, ensure: prototype.ensure!, raw: prototype.raw!, string: prototype.string! };
  let work = 0;
  prototype.end = function (this: typeof writer, start: unknown) {
    const length = this.position - (start as number) - 1;
    work += 1 + (length >= 0x80 ? length : 0);
    return originals.end.call(this, start);
  };
  prototype.ensure = function (this: typeof writer, bytes: unknown) {
    work += 1 + (this.position + (bytes as number) > this.buffer.length ? this.position : 0);
    return originals.ensure.call(this, bytes);
  };
  prototype.raw = function (this: typeof writer, value: unknown) {
    work += 1 + (value as Uint8Array).byteLength;
    return originals.raw.call(this, value);
  };
  prototype.string = function (this: typeof writer, field: unknown, value: unknown) {
    work += 1 + (value as string).length;
    return originals.string.call(this, field, value);
  };
  try {
    run();
  } finally {
    Object.assign(prototype, originals);
  }
  return work;
}

describe('encoding work grows linearly with the value', () => {
  const encode = (attributes: Record<string, unknown>) => () => {
    const batch = newBatch();
    batch.add(record(attributes));
    batch.seal();
  };
  it.each([
    ['a long string', (size: number) => ({ text: 'é'.repeat(size) })],
    ['a long array', (size: number) => ({ list: Array.from({ length: size / 10 }, (_, index) => index) })],
    ['many keys', (size: number) => Object.fromEntries(Array.from({ length: size / 20 }, (_, index) => [`key${index}`, index]))],
    ['many nested maps', (size: number) => ({ nested: Array.from({ length: size / 40 }, (_, index) => ({ index, inner: { value: 'x'.repeat(10) } })) })],
  ])('%s', (_name, make) => {
    const small = countWork(encode(make(20_000)));
    const large = countWork(encode(make(200_000)));
    expect(small).toBeGreaterThan(0);
    expect(large / small).toBeLessThan(MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT);
  });
});
