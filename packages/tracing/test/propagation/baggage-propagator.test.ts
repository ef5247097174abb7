import { ROOT_CONTEXT, baggageEntryMetadataFromString, defaultTextMapGetter, defaultTextMapSetter, propagation } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { MAX_BAGGAGE_BYTES, MAX_BAGGAGE_MEMBERS, W3CBaggagePropagator, parseBaggage } from '../../src/propagation/baggage-propagator';
import { decodeBaggageValue, encodeBaggageValue } from '../../src/propagation/percent-encoding';

const propagator = new W3CBaggagePropagator();
const values = (lines: string[]) => Object.fromEntries([...parseBaggage(lines)].map(([key, entry]) => [key, entry.value]));

describe('baggage (W3C Baggage)', () => {
  it('reads members, percent-decoded, with optional whitespace and properties', () => {
    const entries = parseBaggage([' request.id = req-1 , user=J%C3%B6rg;ttl=30;public ']);
    expect(entries.get('request.id')?.value).toBe('req-1');
    expect(entries.get('user')?.value).toBe('Jörg');
    expect(entries.get('user')?.metadata?.toString()).toBe('ttl=30;public');
  });

  it('treats every baggage line as one list, a later key replacing an earlier one', () => {
    expect(values(['a=1,b=2', 'c=3', 'a=4'])).toEqual({ a: '4', b: '2', c: '3' });
  });

  it('drops a malformed member alone', () => {
    expect(values(['good=1,bad key=2,=3,novalue,quote="x",ok=2'])).toEqual({ good: '1', ok: '2' });
  });

  it('never throws on bad percent-encoding: invalid UTF-8 becomes U+FFFD, a stray % stays', () => {
    expect(() => decodeURIComponent('%E0%A4%A')).toThrow();
    expect(values(['a=%E0%A4%A,b=%FF,c=100%,d=%zz'])).toEqual({ a: '\ufffd%A', b: '\ufffd', c: '100%', d: '%zz' });
    expect(decodeBaggageValue('%F0%9F%98%80')).toBe('😀');
  });

  it(`keeps at most ${MAX_BAGGAGE_MEMBERS} members across all lines, whole`, () => {
    const first = Array.from({ length: 100 }, (_, index) => `k${index}=v`).join(',');
    const second = Array.from({ length: 100 }, (_, index) => `k${index + 100}=v`).join(',');
    const entries = parseBaggage([first, second]);
    expect(entries.size).toBe(MAX_BAGGAGE_MEMBERS);
    expect(entries.has('k0')).toBe(true);
    expect(entries.has(`k${MAX_BAGGAGE_MEMBERS - 1}`)).toBe(true);
    expect(entries.has(`k${MAX_BAGGAGE_MEMBERS}`)).toBe(false);
  });

  it(`keeps at most ${MAX_BAGGAGE_BYTES} bytes across all lines, dropping whole members that do not fit`, () => {
    const big = `big=${'x'.repeat(5000)}`;
    const entries = parseBaggage([big, `second=${'y'.repeat(5000)}`, 'small=1']);
    expect(entries.get('big')?.value).toHaveLength(5000);
    expect(entries.has('second')).toBe(false);
    expect(entries.get('small')?.value).toBe('1');
    // At least 64 members and 8192 bytes are supported, as the specification requires.
    const members = Array.from({ length: 64 }, (_, index) => `key${String(index).padStart(3, '0')}=${'v'.repeat(120)}`);
    expect(members.join(',').length).toBe(8191);
    expect(parseBaggage([members.join(',')]).size).toBe(64);
  });

  it('injects percent-encoded values with their properties, within the limits', () => {
    const baggage = propagation.createBaggage({
      'request.id': { value: 'req-1' },
      user: { value: 'Jörg, "the" admin;%', metadata: baggageEntryMetadataFromString('ttl=30') },
      'bad key': { value: 'dropped' },
    });
    const out: Record<string, string> = {};
    propagator.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), out, defaultTextMapSetter);
    expect(out.baggage).toBe('request.id=req-1,user=J%C3%B6rg%2C%20%22the%22%20admin%3B%25;ttl=30');
    const back = propagator.extract(ROOT_CONTEXT, out, defaultTextMapGetter);
    expect(propagation.getBaggage(back)?.getEntry('user')?.value).toBe('Jörg, "the" admin;%');

    const huge = propagation.createBaggage(Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`k${index}`, { value: 'x'.repeat(50) }])));
    const limited: Record<string, string> = {};
    propagator.inject(propagation.setBaggage(ROOT_CONTEXT, huge), limited, defaultTextMapSetter);
    expect(Buffer.byteLength(limited.baggage!)).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
    for (const member of limited.baggage!.split(',')) expect(member).toMatch(/^k\d+=x{50}$/);
  });

  it('injects nothing without baggage or while tracing is suppressed', () => {
    const out: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, out, defaultTextMapSetter);
    const context = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ a: { value: '1' } }));
    propagator.inject(suppressTracing(context), out, defaultTextMapSetter);
    expect(out).toEqual({});
    propagator.inject(context, out, defaultTextMapSetter);
    expect(out.baggage).toBe('a=1');
  });

  it('sends each ASCII character as it is exactly when W3C Baggage allows it, alone and inside a longer value', () => {
    // baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E, and `%` itself is encoded.
    const allowed = (code: number) => code === 0x21 || (code >= 0x23 && code <= 0x2b && code !== 0x25) || (code >= 0x2d && code <= 0x3a) || (code >= 0x3c && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      const expected = allowed(code) ? char : `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
      expect({ code, encoded: encodeBaggageValue(char) }).toEqual({ code, encoded: expected });
      expect({ code, encoded: encodeBaggageValue(`req-${char}-1`) }).toEqual({ code, encoded: `req-${expected}-1` });
    }
    expect(encodeBaggageValue('3f2a1c0e8b7d4e6f9a1b2c3d4e5f6a7b')).toBe('3f2a1c0e8b7d4e6f9a1b2c3d4e5f6a7b');
  });

  it('round-trips any string through its percent-encoding', () => {
    for (const value of ['', 'plain', 'a b', '%', 'é', '😀', '\u0000', ',;=\\"']) expect(decodeBaggageValue(encodeBaggageValue(value))).toBe(value);
  });
});
