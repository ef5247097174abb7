// Start-up cost of Threadline: wall time and peak RSS of an empty script, plain `node` versus
// `node --import @threadline/node/register` and `--require`, interleaved, median of RUNS runs.
// Usage: node benchmarks/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const script = join(here, 'fixtures', 'empty.mjs');
// An endpoint nothing listens on: an empty script exports nothing, so it is never contacted.
const env = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SERVICE_NAME: 'startup-bench' };
const configurations = {
  'plain node': [script],
  '--import @threadline/node/register': ['--import', '@threadline/node/register', script],
  '--require @threadline/node/register': ['--require', '@threadline/node/register', script],
};

const samples = Object.fromEntries(Object.keys(configurations).map((name) => [name, { wall: [], rss: [] }]));
for (let round = 0; round < runs + 1; round++) {
  for (const [name, args] of Object.entries(configurations)) {
    const startedAt = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { cwd: here, env, encoding: 'utf8' });
    const wall = Number(process.hrtime.bigint() - startedAt) / 1e6;
    if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
    if (round === 0) continue; // warm-up round: file system caches
    samples[name].wall.push(wall);
    samples[name].rss.push(Number(result.stdout.trim()) / 1024);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = samples['plain node'];
console.log(`Start-up of an empty script, median of ${runs} interleaved runs`);
console.log(`Node.js ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| configuration | wall ms | added ms | peak RSS MB | added MB |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, { wall, rss }] of Object.entries(samples)) {
  const addedMs = median(wall) - median(base.wall);
  const addedMb = median(rss) - median(base.rss);
  console.log(`| ${name} | ${median(wall).toFixed(0)} | ${addedMs.toFixed(0)} | ${median(rss).toFixed(1)} | ${addedMb.toFixed(1)} |`);
}
