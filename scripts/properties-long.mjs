#!/usr/bin/env node
// The long variant of the property tests: the same properties as the suite, over far more
// generated inputs (a million each by default; `node scripts/properties-long.mjs 200000` for
// fewer). Runs jest on the property test files only, one at a time, and prints how long each took.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(runs) || runs <= 0) {
  process.stderr.write('usage: node scripts/properties-long.mjs [runs per property]\n');
  process.exit(2);
}
const files = [
  'packages/tracing/test/propagation/propagation-properties.test.ts',
  'packages/log-correlation/test/log-encoding-properties.test.ts',
];
let failed = false;
for (const file of files) {
  const startedAt = Date.now();
  const result = spawnSync(process.execPath, [join(root, 'node_modules/jest/bin/jest.js'), file, '--testTimeout=86400000'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, THREADLINE_PROPERTY_RUNS: String(runs) },
  });
  const minutes = ((Date.now() - startedAt) / 60_000).toFixed(1);
  process.stdout.write(`${file}: ${result.status === 0 ? 'passed' : 'FAILED'} with ${runs} inputs per property in ${minutes} min\n`);
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
