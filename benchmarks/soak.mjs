// Soak: steady load on a Threadline service while its collector is healthy, down (connection
// refused), hanging (accepts, never answers), flapping (healthy / 503 / hanging / down every
// two seconds), then healthy again. For each phase: throughput and p99 against the healthy
// phase, the service's RSS, and what its export queues exported, failed and dropped. Fails
// (exit 1) if the service dies, export does not resume by itself, drops or failures go
// uncounted, or RSS grows by more than SOAK_MAX_RSS_GROWTH_MB. With --strict it also fails
// when throughput or p99 of a faulty phase is more than 10% off the healthy phase.
//
// Each fault phase is compared with the healthy phase just before it.
//
//   node benchmarks/soak.mjs              # 45 s per phase, 7 phases: about 6 minutes
//   SOAK_PHASE_SECONDS=6 node benchmarks/soak.mjs   # the short variant, about a minute
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { rssMegabytes, startPinned, stop } from './lib/processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const phaseSeconds = Number(process.env.SOAK_PHASE_SECONDS ?? 45);
const connections = Number(process.env.SOAK_CONNECTIONS ?? 16);
const maxRssGrowth = Number(process.env.SOAK_MAX_RSS_GROWTH_MB ?? 40);
const strict = process.argv.includes('--strict');
const FLAP_MILLIS = 2000;

/**
 * The collector: an OTLP/HTTP endpoint that reads each export and answers without decoding (as
 * services/sink.cjs does), so a healthy collector costs the load core little, plus the faults.
 * It listens on a fixed port so that "down" really refuses connections.
 */
class Collector {
  constructor() {
    this.server = undefined;
    this.port = 0;
    this.mode = 'healthy';
    this.accepted = 0;
    this.sockets = new Set();
  }
  async up(mode = 'healthy') {
    this.mode = mode;
    if (this.server) return;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (this.mode === 'hang') return;
        if (this.mode === '503') return void response.writeHead(503).end();
        if (request.url === '/v1/traces') this.accepted++;
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = server.address().port;
    this.server = server;
  }
  async down() {
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

function runLoad(url, seconds) {
  const child = spawn('taskset', ['-c', '1', process.execPath, 'lib/load.mjs', url, String(seconds), String(connections)], { cwd: here, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  return once(child, 'exit').then(([code]) => {
    if (code !== 0) throw new Error(`load failed: ${err}`);
    return JSON.parse(out);
  });
}

async function queueStats(port) {
  const response = await fetch(`http://127.0.0.1:${port}/stats`);
  return response.json();
}

const sum = (map, predicate) => Object.entries(map).filter(([key]) => predicate(key)).reduce((total, [, count]) => total + count, 0);
function totals(stats) {
  const result = { exported: 0, failed: 0, dropped: 0 };
  for (const entry of stats) {
    result.exported += sum(entry.exported, (key) => key === '');
    result.failed += sum(entry.exported, (key) => key !== '');
    result.dropped += sum(entry.processed, (key) => key !== '');
  }
  return result;
}

// This process (collector) shares the load core with the load generator; the service has core 0.
execFileSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
const collector = new Collector();
await collector.up();
const app = await startPinned(0, ['--require', '@threadline/node/register', 'services/soak-app.cjs'], {
  OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${collector.port}`,
  OTEL_SERVICE_NAME: 'soak',
  OTEL_METRICS_EXPORTER: 'none',
  OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_BLRP_SCHEDULE_DELAY: '200',
  THREADLINE_RUNTIME_METRICS: 'false',
  PORT: '0',
}, here);
let appPort;
{
  // startPinned resolves on "listening <port>" on stderr; ask the kernel for the port instead
  // of parsing a stream it has already consumed.
  const listing = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  const line = listing.split('\n').find((entry) => entry.includes(`pid=${app.pid},`));
  appPort = Number(/127\.0\.0\.1:(\d+)/.exec(line ?? '')?.[1]);
  if (!appPort) throw new Error(`cannot find the soak app's port in: ${listing}`);
}
const url = `http://127.0.0.1:${appPort}/`;

let flapTimer;
const healthy = () => collector.up('healthy');
// A healthy phase before each fault: on a shared machine load from elsewhere drifts over
// minutes, so each fault is compared with the healthy minute just before it.
const phases = [
  ['healthy', healthy],
  ['down', () => collector.down()],
  ['healthy again', healthy],
  ['hanging', () => collector.up('hang')],
  ['healthy once more', healthy],
  ['flapping', async () => {
    const modes = [() => collector.up('healthy'), () => collector.up('503'), () => collector.up('hang'), () => collector.down()];
    let index = 0;
    await modes[0]();
    flapTimer = setInterval(() => void modes[++index % modes.length]().catch(() => {}), FLAP_MILLIS);
  }],
  ['recovered', async () => {
    clearInterval(flapTimer);
    await healthy();
  }],
];

// Warm-up, not reported: JIT, lazily loaded exporters, the first exports.
await runLoad(url, Math.max(5, Math.round(phaseSeconds / 4)));

const results = [];
let failures = [];
let before = totals(await queueStats(appPort));
for (const [name, enter] of phases) {
  await enter();
  const acceptedBefore = collector.accepted;
  const load = await runLoad(url, phaseSeconds);
  if (name === 'recovered') await new Promise((resolve) => setTimeout(resolve, 3000));
  if (app.exitCode !== null) throw new Error(`the service exited during the ${name} phase`);
  const after = totals(await queueStats(appPort));
  results.push({
    phase: name,
    requestsPerSecond: Math.round(load.requestsPerSecond),
    latencyP99Millis: load.latencyP99,
    errors: load.errors,
    rssMegabytes: Math.round(rssMegabytes(app.pid)),
    exported: after.exported - before.exported,
    failed: after.failed - before.failed,
    dropped: after.dropped - before.dropped,
    traceExportsAccepted: collector.accepted - acceptedBefore,
  });
  before = after;
}
await stop(app);
await collector.down();

let baseline = results[0];
for (const row of results) {
  if (row.phase.startsWith('healthy')) baseline = row;
  row.comparedWith = baseline.phase;
  row.throughputRatio = Number((row.requestsPerSecond / baseline.requestsPerSecond).toFixed(3));
  row.p99Ratio = Number((row.latencyP99Millis / Math.max(baseline.latencyP99Millis, 1)).toFixed(3));
}
console.table(results);

const byPhase = Object.fromEntries(results.map((row) => [row.phase, row]));
const faulty = results.filter((row) => !row.phase.startsWith('healthy'));
// Queues fill during the first fault phase; after that RSS must stay flat.
const rssGrowth = Math.max(...results.map((row) => row.rssMegabytes)) - byPhase.healthy.rssMegabytes;
const rssGrowthAfterFirstFault = Math.max(...results.slice(2).map((row) => row.rssMegabytes)) - byPhase.down.rssMegabytes;
if (results.some((row) => row.errors > 0)) failures.push('requests failed');
if (byPhase.down.failed + byPhase.down.dropped === 0) failures.push('nothing counted as failed or dropped while the collector was down');
if (byPhase.hanging.failed + byPhase.hanging.dropped === 0) failures.push('nothing counted as failed or dropped while the collector hung');
if (byPhase.recovered.traceExportsAccepted === 0 || byPhase.recovered.exported === 0) failures.push('export did not resume after the collector came back');
if (rssGrowth > maxRssGrowth) failures.push(`RSS grew ${rssGrowth} MB (limit ${maxRssGrowth} MB)`);
if (strict) {
  for (const row of faulty) {
    if (row.throughputRatio < 0.9) failures.push(`${row.phase}: throughput ${row.throughputRatio} of healthy`);
    if (row.p99Ratio > 1.1) failures.push(`${row.phase}: p99 ${row.p99Ratio} of healthy`);
  }
}
console.log(JSON.stringify({ phaseSeconds, connections, rssGrowthMegabytes: rssGrowth, rssGrowthAfterFirstFaultMegabytes: rssGrowthAfterFirstFault, failures }));
process.exit(failures.length > 0 ? 1 : 0);
