// Runs the example end to end: an in-process OTLP receiver, the orders service and the
// pricing consumer as real processes, three orders, a SIGTERM, and a print-out of each
// request's trace and log lines. Needs RabbitMQ on AMQP_URL (default amqp://127.0.0.1).
// Exits non-zero if an order's trace or request ID does not reach the consumer.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startOtlpReceiver } from '@threadline/testing';

const here = dirname(fileURLToPath(import.meta.url));

function startService(args, env, readyText) {
  const child = spawn(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      child.output += chunk;
      if (child.output.includes(readyText)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${env.OTEL_SERVICE_NAME} exited early with ${code}`)));
  });
}

const receiver = await startOtlpReceiver();
const port = await freePort();
const common = {
  OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
  OTEL_BSP_SCHEDULE_DELAY: '200',
  AMQP_URL: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
  QUEUE: `orders-${randomBytes(4).toString('hex')}`,
};
const pricing = await startService(['--import', '@threadline/node/register', 'pricing.mjs'], { ...common, OTEL_SERVICE_NAME: 'pricing' }, 'consuming');
const orders = await startService(['--require', '@threadline/node/register', 'orders.cjs'], { ...common, OTEL_SERVICE_NAME: 'orders', PORT: String(port) }, 'listening');

const placed = [];
for (const id of ['A1', 'B22', 'C333']) {
  const answer = await fetch(`http://127.0.0.1:${port}/orders/${id}`, { method: 'POST' });
  placed.push(await answer.json());
}
while ((pricing.output.match(/order\.priced/g) ?? []).length < placed.length) await new Promise((resolve) => setTimeout(resolve, 50));
for (const child of [orders, pricing]) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const lines = [orders, pricing].flatMap((child) => child.output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line)));
let joined = 0;
for (const { orderId, requestId } of placed) {
  const mine = lines.filter((line) => line.request_id === requestId);
  const traces = new Set(mine.map((line) => line.trace_id));
  const spans = receiver.spans().filter((span) => traces.has(span.traceId));
  console.log(`\norder ${orderId}: request ${requestId}, trace ${[...traces].join(', ')}`);
  for (const span of spans) console.log(`  span   ${span.resource['service.name']}: ${span.name} (parent ${span.parentSpanId || 'none'})`);
  for (const line of mine) console.log(`  log    ${line.service}: ${line.event} (customer ${line.customer})`);
  const consumer = spans.find((span) => span.name.startsWith('process '));
  const producer = spans.find((span) => span.name.startsWith('publish '));
  if (traces.size === 1 && mine.some((line) => line.event === 'order.priced') && consumer?.parentSpanId === producer?.spanId) joined++;
}
await receiver.stop();
console.log(`\n${joined} of ${placed.length} orders were priced in the trace and request that queued them.`);
process.exitCode = joined === placed.length ? 0 : 1;
