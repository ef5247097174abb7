/**
 * Shared by the property tests of every package. `THREADLINE_PROPERTY_RUNS` raises the number
 * of generated inputs (scripts/properties-long.mjs sets a million); the suite runs a few hundred.
 */
export const PROPERTY_RUNS = Number(process.env.THREADLINE_PROPERTY_RUNS) || 300;

/** Best of several timings of `run(input)`, in milliseconds; the best filters out GC pauses and other load. */
function bestTime(run: (input: string) => unknown, input: string, rounds = 7): number {
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    const startedAt = process.hrtime.bigint();
    run(input);
    best = Math.min(best, Number(process.hrtime.bigint() - startedAt) / 1e6);
  }
  return best;
}

/**
 * How much longer `run` takes on an input ten times larger (`make(10n)` against `make(n)`).
 * Linear work gives about 10, quadratic about 100; callers allow a generous 30 so that a loaded
 * machine does not fail them, while a quadratic path still does.
 */
export function growthFactor(run: (input: string) => unknown, make: (size: number) => string, size = 20_000): number {
  const small = make(size);
  const large = make(size * 10);
  run(small);
  run(large);
  // The lowest of three measurements: a burst of load from elsewhere on a shared machine
  // inflates one, while a quadratic path inflates all three. The small timing is floored so
  // that timer resolution on a tiny input cannot inflate the ratio.
  let factor = Infinity;
  for (let attempt = 0; attempt < 3 && factor >= MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT; attempt++) {
    factor = Math.min(factor, bestTime(run, large) / Math.max(bestTime(run, small), 0.05));
  }
  return factor;
}

export const MAX_GROWTH_FOR_TEN_TIMES_THE_INPUT = 30;
