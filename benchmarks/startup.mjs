// Start-up cost only: node benchmarks/startup.mjs [runs]
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureStartupWithSink } from './lib/startup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] ?? 15);
const results = await measureStartupWithSink(runs, here);
const base = results['plain node'];
console.log(`Start-up of an empty script, median of ${runs} interleaved runs; Node.js ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}\n`);
console.log('| configuration | wall ms | added ms | peak RSS MB | added MB |');
console.log('| --- | --- | --- | --- | --- |');
for (const [name, { wallMs, rssMb }] of Object.entries(results)) {
  console.log(`| ${name} | ${wallMs.toFixed(0)} | ${(wallMs - base.wallMs).toFixed(0)} | ${rssMb.toFixed(1)} | ${(rssMb - base.rssMb).toFixed(1)} |`);
}
