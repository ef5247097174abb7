// Runs the example end to end: an in-process OTLP receiver, the two services as real
// processes exporting to it, a few requests, a SIGTERM (Threadline flushes), and a print-out
// of every trace that arrived. Exits non-zero if a trace does not cross both services.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startOtlpReceiver } from '@threadline/testing';

const here = dirname(fileURLToPath(import.meta.url));

function startService(args, env, readyText) {
  const child = spawn(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      process.stdout.write(`  [${env.OTEL_SERVICE_NAME}] ${chunk}`);
      if (String(chunk).includes(readyText)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${env.OTEL_SERVICE_NAME} exited early with ${code}`)));
  });
}

const receiver = await startOtlpReceiver();
console.log(`OTLP receiver on ${receiver.url}`);
const [ordersPort, inventoryPort] = [await freePort(), await freePort()];
const common = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '200' };

const inventory = await startService(['--require', '@threadline/node/register', 'inventory.cjs'],
  { ...common, OTEL_SERVICE_NAME: 'inventory', PORT: String(inventoryPort) }, 'listening');
const orders = await startService(['--import', '@threadline/node/register', 'orders.mjs'],
  { ...common, OTEL_SERVICE_NAME: 'orders', PORT: String(ordersPort), INVENTORY_URL: `http://127.0.0.1:${inventoryPort}` }, 'listening');

for (const id of [1, 22, 333]) {
  const answer = await fetch(`http://127.0.0.1:${ordersPort}/orders/${id}`);
  console.log(`GET /orders/${id} -> ${answer.status} ${await answer.text()}`);
}

for (const child of [orders, inventory]) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const byTrace = new Map();
for (const span of receiver.spans()) {
  byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
}
console.log(`\nThe receiver got ${receiver.spans().length} spans in ${byTrace.size} traces:`);
let complete = 0;
for (const [traceId, spans] of byTrace) {
  console.log(`\ntrace ${traceId}`);
  const print = (parentId, depth) => {
    for (const span of spans.filter((candidate) => candidate.parentSpanId === parentId)) {
      console.log(`${'  '.repeat(depth + 1)}${span.resource['service.name']}: ${span.name} (span ${span.spanId})`);
      print(span.spanId, depth + 1);
    }
  };
  print('', 0);
  const services = new Set(spans.map((span) => span.resource['service.name']));
  if (services.has('orders') && services.has('inventory') && spans.length === 4 && spans.filter((span) => span.parentSpanId === '').length === 1) complete++;
}
await receiver.stop();
console.log(`\n${complete} of 3 requests produced one trace across both services.`);
process.exitCode = complete === 3 ? 0 : 1;
