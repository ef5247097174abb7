// Nanoseconds per trace ID, span ID and request ID, and the heap each kept ID holds on to, for
// Threadline's generators against one `randomBytes().toString('hex')` per ID.
// node --expose-gc benchmarks/micro/id-generation.mjs
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { generateRequestId, randomHex } = require('@threadline/core');

function nanosPerCall(generate, iterations = 2_000_000) {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += generate().length;
  const startedAt = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += generate().length;
  const nanos = Number(process.hrtime.bigint() - startedAt) / iterations;
  if (sink === 0) throw new Error('unreachable');
  return nanos;
}

/** Heap held by 10,000 IDs when each is kept out of `between` generated (as an app keeping one per request). */
function retainedBytesPerKeptId(generate, between = 64) {
  if (typeof globalThis.gc !== 'function') return undefined;
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [];
  for (let i = 0; i < 10_000; i++) {
    for (let j = 1; j < between; j++) generate();
    kept.push(generate());
  }
  globalThis.gc();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== 10_000) throw new Error('unreachable');
  return Math.round((after - before) / kept.length);
}

const candidates = {
  'threadline request ID (32 hex)': generateRequestId,
  'threadline span ID (16 hex)': () => randomHex(16),
  'randomBytes(16).toString(hex)': () => randomBytes(16).toString('hex'),
};
for (const [name, generate] of Object.entries(candidates)) {
  const nanos = nanosPerCall(generate);
  const retained = retainedBytesPerKeptId(generate);
  console.log(`${name.padEnd(34)} ${nanos.toFixed(0).padStart(5)} ns/ID   ${retained === undefined ? '(run with --expose-gc for heap)' : `${retained} bytes held per kept ID`}`);
}
