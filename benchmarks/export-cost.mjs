// CPU per exported span and load time, for the ways a span can reach a collector:
//   node benchmarks/export-cost.mjs [spans]
// Each variant runs in its own process (fresh module cache); the receiver runs in this one, so
// its decoding is not counted. CPU is the exporting process's user+system time from the first
// span to the last acknowledged export, divided by the number of spans.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver } from '@threadline/testing';

const here = dirname(fileURLToPath(import.meta.url));
const spans = Number(process.argv[2] ?? 20_000);
const rounds = 3;
const VARIANTS = [
  ['grpc', 'threadline', 'Threadline encoder + @grpc/grpc-js (raw bytes)'],
  ['grpc', 'sdk', '@opentelemetry/exporter-trace-otlp-grpc + BatchSpanProcessor'],
  ['json', 'threadline', 'SDK JSON serializer + Threadline transport (OtlpSpanExporter)'],
  ['json', 'sdk', '@opentelemetry/exporter-trace-otlp-http (JSON) + BatchSpanProcessor'],
  ['protobuf', 'threadline', 'Threadline encoder over OTLP/HTTP (the default)'],
];

function run(protocol, variant, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(here, 'lib', 'export-cost-run.cjs'), protocol, variant, url, String(spans)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${protocol}/${variant} exited ${code}`))));
  });
}

const receivers = { grpc: await startOtlpReceiver({ protocol: 'grpc' }), http: await startOtlpReceiver() };
const results = new Map();
for (let round = 0; round < rounds; round++) {
  for (const [protocol, variant, label] of VARIANTS) {
    const receiver = protocol === 'grpc' ? receivers.grpc : receivers.http;
    receiver.clear();
    const result = await run(protocol, variant, receiver.url);
    const received = receiver.spans().length;
    if (received !== spans + 1) throw new Error(`${label}: ${received} of ${spans} spans arrived`);
    const list = results.get(label) ?? [];
    list.push(result);
    results.set(label, list);
  }
}
await Promise.all(Object.values(receivers).map((receiver) => receiver.stop()));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`Exporting ${spans} spans (5 attributes each), median of ${rounds} runs; Node.js ${process.version}\n`);
console.log('| path | load + first export ms | CPU us per span | RSS MB after |');
console.log('| --- | --- | --- | --- |');
for (const [label, list] of results) {
  console.log(`| ${label} | ${median(list.map((r) => r.loadMs)).toFixed(0)} | ${median(list.map((r) => r.cpuMicrosPerSpan)).toFixed(2)} | ${median(list.map((r) => r.rssMb)).toFixed(0)} |`);
}
