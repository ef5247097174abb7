import { ROOT_CONTEXT, defaultTextMapGetter, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '../../src/propagation/trace-context-propagator';
import { MAX_TRACE_STATE_LENGTH, W3CTraceState } from '../../src/propagation/trace-state';

const TRACEPARENT = '00-12345678901234567890123456789012-1234567890123456-00';
const parse = (...lines: string[]) => W3CTraceState.parse(lines)?.serialize();
const members = (count: number, from = 1) => Array.from({ length: count }, (_, index) => `bar${index + from}=${index + from}`).join(',');

describe('tracestate (W3C Trace Context Level 2)', () => {
  it('accepts every character the grammar allows, in keys with and without tenants', () => {
    const key = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
    let value = '';
    for (let code = 0x20; code <= 0x7e; code++) if (code !== 0x2c && code !== 0x3d) value += String.fromCharCode(code);
    expect(W3CTraceState.parse([`${key}=${value}`])?.get(key)).toBe(value);
    expect(W3CTraceState.parse([`${key}@a-z0-9_-*/=${value}`])?.get(`${key}@a-z0-9_-*/`)).toBe(value);
  });

  it('accepts keys with one or several @ (Level 2), but not one that starts with @', () => {
    expect(parse('foo@=1,bar=2')).toBe('foo@=1,bar=2');
    expect(parse('foo@@bar=1,bar=2')).toBe('foo@@bar=1,bar=2');
    expect(parse('foo@bar@baz=1,bar=2')).toBe('foo@bar@baz=1,bar=2');
    expect(parse('0tenant@vendor=1')).toBe('0tenant@vendor=1');
    expect(parse('@foo=1,bar=2')).toBeUndefined();
  });

  it('accepts keys up to 256 characters and rejects the whole header for a longer one', () => {
    const key256 = 'z'.repeat(256);
    expect(W3CTraceState.parse(['foo=1', `${key256}=1`])?.get(key256)).toBe('1');
    expect(W3CTraceState.parse(['foo=1', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`])?.get('foo')).toBe('1');
    expect(W3CTraceState.parse(['foo=1', `t@${'v'.repeat(15)}=1`])?.size).toBe(2);
    expect(W3CTraceState.parse(['foo=1', `${'z'.repeat(257)}=1`])).toBeUndefined();
  });

  it.each([
    ['an uppercase key', 'FOO=1'],
    ['a space inside the key', 'foo =1'],
    ['a dot in the key', 'foo.bar=1'],
    ['an = in the value', 'foo=bar=baz'],
    ['an empty value', 'foo=,bar=3'],
    ['a value ending in a space', 'foo=1 ,bar=2'.replace(' ,', '\u00a0,')],
    ['a member without =', 'foo,bar=2'],
    ['a value over 256 characters', `foo=${'v'.repeat(257)}`],
  ])('rejects the whole header for %s', (_name, header) => {
    expect(W3CTraceState.parse([header])).toBeUndefined();
  });

  it('accepts 32 members across lines and rejects 33', () => {
    expect(W3CTraceState.parse([members(10), members(10, 11), members(10, 21), members(2, 31)])?.size).toBe(32);
    expect(W3CTraceState.parse([members(10), members(10, 11), members(10, 21), members(3, 31)])).toBeUndefined();
  });

  it('keeps the first of duplicated keys', () => {
    expect(parse('foo=1,foo=1')).toBe('foo=1');
    expect(parse('foo=1,foo=2')).toBe('foo=1');
    expect(parse('foo=1', 'foo=2')).toBe('foo=1');
  });

  it('combines lines in order, skipping empty ones and optional whitespace', () => {
    expect(parse('foo=1,bar=2', 'rojo=1,congo=2', 'baz=3')).toBe('foo=1,bar=2,rojo=1,congo=2,baz=3');
    expect(parse('', 'foo=1', '')).toBe('foo=1');
    expect(parse('foo=1 \t , \t bar=2, \t baz=3')).toBe('foo=1,bar=2,baz=3');
    expect(parse('\t foo=1 \t')).toBe('foo=1');
    // Node joins repeated header lines with ", ".
    expect(parse('foo=1, bar=2')).toBe('foo=1,bar=2');
  });

  it('moves an updated key to the front and ignores invalid updates', () => {
    const state = W3CTraceState.parse(['a=1,b=2,c=3'])!;
    expect(state.set('b', '9').serialize()).toBe('b=9,a=1,c=3');
    expect(state.set('new', 'x').serialize()).toBe('new=x,a=1,b=2,c=3');
    expect(state.set('BAD', 'x').serialize()).toBe('a=1,b=2,c=3');
    expect(state.set('ok', 'bad=value').serialize()).toBe('a=1,b=2,c=3');
    expect(state.unset('b').serialize()).toBe('a=1,c=3');
  });

  it('cuts to 512 characters by whole members, members over 128 characters first, then from the right', () => {
    const long = `long=${'x'.repeat(250)}`;
    const state = W3CTraceState.parse([members(10), long, members(21, 11)])!;
    const serialized = state.serialize();
    expect(serialized.length).toBeLessThanOrEqual(MAX_TRACE_STATE_LENGTH);
    expect(serialized).not.toContain('long=');
    expect(serialized.startsWith(members(10))).toBe(true);
    for (const member of serialized.split(',')) expect(member).toMatch(/^bar\d+=\d+$/);

    const many = W3CTraceState.parse([Array.from({ length: 32 }, (_, index) => `k${index}=${'v'.repeat(20)}`).join(',')])!;
    const cut = many.serialize().split(',');
    expect(cut.join(',').length).toBeLessThanOrEqual(MAX_TRACE_STATE_LENGTH);
    expect(cut[0]).toBe(`k0=${'v'.repeat(20)}`);
    expect(cut.at(-1)).toBe(`k${cut.length - 1}=${'v'.repeat(20)}`);
    expect(cut.length).toBeLessThan(32);
  });

  it('reaches the span context only with a valid traceparent', () => {
    const propagator = new W3CTraceContextPropagator({ localTraceIdsAreRandom: true });
    const valid = propagator.extract(ROOT_CONTEXT, { traceparent: TRACEPARENT, tracestate: 'foo=1' }, defaultTextMapGetter);
    expect(trace.getSpanContext(valid)?.traceState?.get('foo')).toBe('1');
    const invalidState = propagator.extract(ROOT_CONTEXT, { traceparent: TRACEPARENT, tracestate: 'foo=1,@bad=2' }, defaultTextMapGetter);
    expect(trace.getSpanContext(invalidState)?.traceId).toBe('12345678901234567890123456789012');
    expect(trace.getSpanContext(invalidState)?.traceState).toBeUndefined();
    const noParent = propagator.extract(ROOT_CONTEXT, { tracestate: 'foo=1' }, defaultTextMapGetter);
    expect(trace.getSpanContext(noParent)).toBeUndefined();
  });
});
