import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const CORE = join(__dirname, '..', 'dist', 'index.js');

/**
 * Keeps 10,000 IDs, one out of every 256 generated (as an app, a cache or an exemplar keeping
 * one ID per request while spans draw others), and measures the heap they hold after a full
 * GC. Run in a child process: `--expose-gc`, and no jest module registry in the heap.
 */
function retainedBytes(generator: 'generateRequestId' | 'spanId'): { bytes: number; distinct: number; valid: boolean } {
  const script = `
    const core = require(${JSON.stringify(CORE)});
    const generate = ${generator === 'spanId' ? '() => core.randomHex(16)' : 'core.generateRequestId'};
    for (let i = 0; i < 100000; i++) generate();
    gc(); gc();
    const before = process.memoryUsage().heapUsed;
    const kept = new Array(10000);
    for (let i = 0; i < kept.length; i++) {
      for (let j = 1; j < 256; j++) generate();
      kept[i] = generate();
    }
    gc(); gc();
    const after = process.memoryUsage().heapUsed;
    const pattern = ${generator === 'spanId' ? '/^[0-9a-f]{16}$/' : '/^[0-9a-f]{32}$/'};
    process.stdout.write(JSON.stringify({
      bytes: after - before,
      distinct: new Set(kept).size,
      valid: kept.every((id) => pattern.test(id)),
    }));
  `;
  return JSON.parse(execFileSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' })) as { bytes: number; distinct: number; valid: boolean };
}

describe('memory held by kept IDs', () => {
  // A flat one-byte string of n characters takes about n + 16 bytes of heap; the array slot 8
  // more. The bound leaves room for GC noise; an ID that held its random block would be 40 MB
  // (span IDs) or 80 MB (request IDs) here.
  it.each([
    ['request IDs', 'generateRequestId', 32],
    ['span IDs', 'spanId', 16],
  ] as const)('10,000 kept %s hold about 10,000 x (ID length + string overhead)', (_label, generator, length) => {
    const result = retainedBytes(generator);
    expect(result.distinct).toBe(10_000);
    expect(result.valid).toBe(true);
    expect(result.bytes).toBeGreaterThan(10_000 * length);
    expect(result.bytes).toBeLessThan(10_000 * (length + 16 + 8) * 2);
  });
});
