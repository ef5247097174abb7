import fc from 'fast-check';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, propagation, trace } from '@opentelemetry/api';
import { MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT, PROPERTY_RUNS, growthFactor } from '../../../core/test/helpers/properties';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_MEMBERS, W3CBaggagePropagator, parseBaggage } from '../../src/propagation/baggage-propagator';
import { decodeBaggageValue } from '../../src/propagation/percent-encoding';
import { W3CTraceContextPropagator } from '../../src/propagation/trace-context-propagator';
import { MAX_TRACE_STATE_LENGTH, MAX_TRACE_STATE_MEMBERS, W3CTraceState, isValidTraceStateKey, isValidTraceStateValue } from '../../src/propagation/trace-state';
import { formatTraceParent, parseTraceParent } from '../../src/propagation/traceparent';

const runs = { numRuns: PROPERTY_RUNS };
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
// Header-like text: mostly the characters the grammars care about, plus anything at all.
const headerChar = fc.oneof(fc.constantFrom(...'abz019-_*/@=,; \t%.:AZ'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }));
const headerText = fc.string({ unit: headerChar, maxLength: 300 });
const headerValue = fc.oneof(headerText, fc.array(headerText, { maxLength: 5 }));
const traceContext = new W3CTraceContextPropagator({ localTraceIdsAreRandom: true });
const baggagePropagator = new W3CBaggagePropagator();

describe('propagation parsing, for any input', () => {
  it('traceparent: never throws, and what it accepts is valid and formats back to itself', () => {
    fc.assert(
      fc.property(fc.oneof(headerText, fc.tuple(hex(2), hex(32), hex(16), hex(2), headerText).map((parts) => parts.join('-'))), (header) => {
        const parsed = parseTraceParent(header);
        if (!parsed) return;
        expect(parsed.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(parsed.parentId).toMatch(/^[0-9a-f]{16}$/);
        expect(parsed.traceId).not.toBe('0'.repeat(32));
        expect(parsed.parentId).not.toBe('0'.repeat(16));
        expect(parsed.traceFlags & ~3).toBe(0);
        expect(parseTraceParent(formatTraceParent(parsed.traceId, parsed.parentId, parsed.traceFlags))).toEqual(parsed);
      }),
      runs,
    );
  });

  it('traceparent: every well-formed version 00 value parses to exactly its parts', () => {
    fc.assert(
      fc.property(hex(32), hex(16), hex(2), (traceId, parentId, flags) => {
        fc.pre(/[1-9a-f]/.test(traceId) && /[1-9a-f]/.test(parentId));
        expect(parseTraceParent(`00-${traceId}-${parentId}-${flags}`)).toEqual({ traceId, parentId, traceFlags: parseInt(flags, 16) & 3 });
      }),
      runs,
    );
  });

  it('tracestate: never throws; a list is accepted whole or not at all, and what is sent fits the limits', () => {
    fc.assert(
      fc.property(fc.array(headerText, { maxLength: 4 }), (lines) => {
        const state = W3CTraceState.parse(lines);
        if (!state) return;
        expect(state.size).toBeLessThanOrEqual(MAX_TRACE_STATE_MEMBERS);
        const serialized = state.serialize();
        expect(serialized.length).toBeLessThanOrEqual(MAX_TRACE_STATE_LENGTH);
        const members = serialized === '' ? [] : serialized.split(',');
        for (const member of members) {
          const equals = member.indexOf('=');
          expect(isValidTraceStateKey(member.slice(0, equals))).toBe(true);
          expect(isValidTraceStateValue(member.slice(equals + 1))).toBe(true);
          expect(state.get(member.slice(0, equals))).toBe(member.slice(equals + 1));
        }
        expect(W3CTraceState.parse([serialized])?.serialize()).toBe(serialized);
      }),
      runs,
    );
  });

  it('tracestate: any valid list of up to 32 members is kept, in order', () => {
    const key = fc.tuple(fc.constantFrom(...'az09'), fc.string({ unit: fc.constantFrom(...'az09_-*/@'), maxLength: 20 })).map(([first, rest]) => first + rest);
    const value = fc.tuple(fc.string({ unit: fc.constantFrom(...'ab !~:'), maxLength: 10 }), fc.constantFrom(...'x!~')).map(([body, last]) => body + last);
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 32 }), (pairs) => {
        const header = pairs.map(([k, v]) => `${k}=${v}`).join(',');
        fc.pre(header.length <= MAX_TRACE_STATE_LENGTH);
        expect(W3CTraceState.parse([header])?.serialize()).toBe(header);
      }),
      runs,
    );
  });

  it('baggage: never throws and stays within the member and byte limits', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(headerText, fc.string({ unit: 'binary', maxLength: 300 })), { maxLength: 6 }), (lines) => {
        const entries = parseBaggage(lines);
        expect(entries.size).toBeLessThanOrEqual(MAX_BAGGAGE_MEMBERS);
        const out: Record<string, string> = {};
        baggagePropagator.inject(propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage(Object.fromEntries(entries))), out, defaultTextMapSetter);
        expect(Buffer.byteLength(out.baggage ?? '')).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
      }),
      runs,
    );
  });

  it('baggage: any entries survive a trip through the header, values unchanged', () => {
    const token = fc.string({ unit: fc.constantFrom(...'abcXYZ019.-_~!#$&\'*+^`|'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(fc.dictionary(token, fc.string({ maxLength: 20 }), { maxKeys: 20 }), (values) => {
        const baggage = propagation.createBaggage(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value }])));
        const out: Record<string, string> = {};
        baggagePropagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), out, defaultTextMapSetter);
        const back = propagation.getBaggage(baggagePropagator.extract(ROOT_CONTEXT, out, defaultTextMapGetter));
        for (const [key, value] of Object.entries(values)) expect(back?.getEntry(key)?.value).toBe(value);
      }),
      runs,
    );
  });

  it('percent-decoding: never throws, for any string', () => {
    fc.assert(fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('%', 'F', '0', 'E', 'z'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }), (value) => {
      expect(typeof decodeBaggageValue(value)).toBe('string');
    }), runs);
  });

  it('extract: any headers give either no span context or a whole, valid one', () => {
    fc.assert(
      fc.property(headerValue, headerValue, headerValue, (traceparent, tracestate, baggage) => {
        const extracted = traceContext.extract(baggagePropagator.extract(ROOT_CONTEXT, { baggage }, defaultTextMapGetter), { traceparent, tracestate }, defaultTextMapGetter);
        const spanContext = trace.getSpanContext(extracted);
        if (!spanContext) return;
        expect(spanContext.traceId).toMatch(/^[0-9a-f]{32}$/);
        expect(spanContext.spanId).toMatch(/^[0-9a-f]{16}$/);
        expect(spanContext.isRemote).toBe(true);
      }),
      runs,
    );
  });
});

describe('propagation parsing time grows linearly with the input', () => {
  const adversarial: Record<string, (size: number) => string> = {
    'inner whitespace': (size) => `a=1${' '.repeat(size)}b`,
    'whitespace and commas': (size) => ' ,\t'.repeat(size / 3),
    'many members': (size) => Array.from({ length: size / 6 }, (_, index) => `k${index}=v`).join(','),
    'equals signs': (size) => `k=${'='.repeat(size)}`,
    'percent signs': (size) => `k=${'%E0%A4'.repeat(size / 6)}`,
  };
  it.each(Object.entries(adversarial))('tracestate, traceparent and baggage with %s', (_name, make) => {
    expect(growthFactor((input) => W3CTraceState.parse([input]), make)).toBeLessThan(MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT);
    expect(growthFactor((input) => parseTraceParent(input), make)).toBeLessThan(MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT);
    expect(growthFactor((input) => parseBaggage([input]), make)).toBeLessThan(MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT);
    expect(growthFactor((input) => decodeBaggageValue(input), make)).toBeLessThan(MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT);
  });
});
