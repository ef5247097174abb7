import { ValueBounder, cutString } from '../src/otlp/bounded-value';
import { createFieldRedactor } from '../src/redact-fields';

const limits = { maxDepth: 4, maxStringLength: 16, maxEntries: 5, maxRecordLength: 200 };

describe('cutString', () => {
  it('never splits a surrogate pair', () => {
    expect(cutString('ab😀cd', 3)).toBe('ab');
    expect(cutString('ab😀cd', 4)).toBe('ab😀');
    expect(cutString('short', 10)).toBe('short');
  });
});

describe('ValueBounder', () => {
  it('copies plain fields, leaving the given object as it was (even frozen)', () => {
    const order = Object.freeze({ orderId: 7, items: Object.freeze([1, 2]), note: 'x' });
    const bounder = new ValueBounder(limits);
    const copy = bounder.fields(order);
    expect(copy).toEqual({ orderId: 7, items: [1, 2], note: 'x' });
    expect(copy).not.toBe(order);
    expect(bounder.stats).toEqual({ cut: 0, redacted: 0 });
  });

  it('bounds cycles, depth, long strings, entries and the record, and counts each cut', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    const bounder = new ValueBounder(limits);
    expect(bounder.fields({ cyclic })).toEqual({ cyclic: { name: 'loop', self: '[Circular]' } });
    expect(bounder.value(deep, 1)).toEqual({ a: { b: { c: { d: '[Object]' } } } });
    expect(bounder.value('x'.repeat(1_000_000), 1)).toBe('x'.repeat(16));
    expect(bounder.value([1, 2, 3, 4, 5, 6, 7], 1)).toEqual([1, 2, 3, 4, 5]);
    expect(bounder.stats.cut).toBe(4);
    const small = new ValueBounder({ ...limits, maxRecordLength: 20 });
    expect(small.fields({ a: 'aaaaaaaaaa', b: 'bbbbbbbbbb', c: 'cccccccccc' })).toEqual({ a: 'aaaaaaaaaa', b: 'bbbbbbbb' }); // 20 - 1 - 10 - 1 characters left for b
    expect(small.stats.cut).toBe(2);
  });

  it('turns class instances, Maps, Sets, Dates, Buffers, errors and throwing getters into plain values', () => {
    class Order {
      constructor(readonly id: number) {}
      get total(): number {
        return 1;
      }
    }
    const throwing = Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: () => { throw new Error('getter'); } });
    const error = Object.assign(new Error('failed', { cause: new TypeError('inner') }), { code: 'E_X', errno: 5 });
    const bounder = new ValueBounder({ ...limits, maxEntries: 20, maxStringLength: 100, maxRecordLength: 10_000 });
    const copy = bounder.fields({
      order: new Order(3),
      map: new Map<unknown, unknown>([['k', 1], [2, 'v']]),
      set: new Set(['a']),
      when: new Date(0),
      bytes: Buffer.from('hi'),
      throwing,
      error,
      fn: () => 1,
    });
    expect(copy).toEqual({
      order: { id: 3 },
      map: { k: 1, '2': 'v' },
      set: ['a'],
      when: '1970-01-01T00:00:00.000Z',
      bytes: new Uint8Array([104, 105]),
      throwing: { ok: 1, bad: '[unreadable]' },
      error: expect.objectContaining({ type: 'Error', message: 'failed', code: 'E_X', errno: 5, cause: expect.objectContaining({ type: 'TypeError', message: 'inner' }) }),
    });
  });

  it('masks secret-looking names at any depth, without reading them', () => {
    const read = jest.fn(() => 'never');
    const source = { user: { name: 'a', password: 'p4ss', nested: { apiKey: 'k' } } };
    Object.defineProperty(source, 'token', { enumerable: true, get: read });
    const bounder = new ValueBounder({ ...limits, maxRecordLength: 10_000 }, createFieldRedactor());
    expect(bounder.fields(source)).toEqual({ user: { name: 'a', password: '[REDACTED]', nested: { apiKey: '[REDACTED]' } }, token: '[REDACTED]' });
    expect(read).not.toHaveBeenCalled();
    expect(bounder.stats.redacted).toBe(3);
  });

  it('sanitizes a database error, and the log message that quotes it', () => {
    const error = Object.assign(new Error("Duplicate entry 'dup-secret' for key 'email'"), { sqlState: '23000', sql: "INSERT INTO u VALUES ('dup-secret')" });
    const bounder = new ValueBounder({ ...limits, maxStringLength: 1000, maxRecordLength: 10_000 });
    const copy = bounder.fields({ err: error });
    const body = bounder.body(`query failed: ${error.message}`);
    expect(JSON.stringify(copy)).not.toContain('dup-secret');
    expect(body).toBe("query failed: Duplicate entry ? for key 'email'");
  });

  it('takes bounded time on a huge object', () => {
    const huge: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) huge[`k${i}`] = i;
    const wide = Array.from({ length: 200_000 }, (_, i) => ({ i }));
    const bounder = new ValueBounder(limits);
    expect(Object.keys(bounder.fields({ huge, wide }).huge as object)).toHaveLength(5);
  });
});
