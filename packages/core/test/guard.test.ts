import { createDiagnostics } from '../src/diagnostics';
import { guard, guardedLoad } from '../src/guard';

describe('guard', () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, diagnostics: createDiagnostics('info', (line) => lines.push(line), 60_000) };
  };

  it('passes `this` and the arguments through', () => {
    const { diagnostics } = capture();
    const seen: unknown[] = [];
    const listener = guard(diagnostics, 'listener', function (this: { name: string }, first: number, second: string) {
      seen.push(this.name, first, second);
    });
    listener.call({ name: 'emitter' }, 1, 'two');
    expect(seen).toEqual(['emitter', 1, 'two']);
  });

  it('never throws: counts each failure, writes the first, runs the recovery', () => {
    const { lines, diagnostics } = capture();
    const recovered: number[] = [];
    const listener = guard(
      diagnostics,
      'http server',
      (value: number) => {
        throw new Error(`bad ${value}`);
      },
      (value: number) => recovered.push(value),
    );
    for (let i = 0; i < 3; i++) expect(() => listener(i)).not.toThrow();
    expect(recovered).toEqual([0, 1, 2]);
    expect(diagnostics.counters.get('http server failed')).toBe(3);
    expect(lines).toEqual(['threadline warn: http server failed: bad 0\n']);
  });

  it('survives a recovery that throws too', () => {
    const { diagnostics } = capture();
    const listener = guard(
      diagnostics,
      'subscriber',
      () => {
        throw new Error('first');
      },
      () => {
        throw new Error('second');
      },
    );
    expect(() => listener()).not.toThrow();
    expect(diagnostics.counters.get('subscriber failed')).toBe(2);
  });

  it('turns a failing lazy load into undefined and a count', () => {
    const { lines, diagnostics } = capture();
    expect(guardedLoad(diagnostics, 'loading the metrics SDK', () => 42)).toBe(42);
    expect(
      guardedLoad(diagnostics, 'loading the metrics SDK', () => {
        throw new Error("Cannot find module '@opentelemetry/sdk-metrics'");
      }),
    ).toBeUndefined();
    expect(lines).toEqual(["threadline warn: loading the metrics SDK failed: Cannot find module '@opentelemetry/sdk-metrics'\n"]);
  });
});
