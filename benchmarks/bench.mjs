// Threadline's cost, measured in one run against no instrumentation and the stock OpenTelemetry
// zero-code setup: throughput, latency, CPU per request and RSS under load (service pinned to
// core 0, load generator, downstream and OTLP sink on core 1), start-up, and micro-benchmarks
// of the hot primitives. Writes docs/benchmarks.md. Not a test: numbers are never asserted.
// Usage: node benchmarks/bench.mjs [--rounds N] [--seconds S] [--quick]
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigurations } from './lib/configurations.mjs';
import { runMicroBenchmarks } from './lib/micro.mjs';
import { cpuSeconds, loadTest, rssMegabytes, startPinned, stop } from './lib/processes.mjs';
import { measureStartupWithSink, median } from './lib/startup.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const option = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const quick = process.argv.includes('--quick');
const rounds = option('rounds', quick ? 1 : 3);
const seconds = option('seconds', quick ? 3 : 8);
const warmupSeconds = quick ? 1 : 3;
const connections = 16;
const SERVICE_CORE = 0;
const LOAD_CORE = 1;
const SCENARIOS = ['hello', 'chain', 'db'];
const ports = { sink: 4399, downstream: 4398, service: 4397 };

const sink = await startPinned(LOAD_CORE, ['services/sink.cjs'], { PORT: String(ports.sink) }, here);
const downstream = await startPinned(LOAD_CORE, ['services/downstream.cjs'], { PORT: String(ports.downstream) }, here);
const configurations = loadConfigurations(`http://127.0.0.1:${ports.sink}`);
const samples = {};

try {
  for (const scenario of SCENARIOS) {
    for (let round = 0; round < rounds; round++) {
      // Interleaved: each round measures every configuration once, in a rotated order.
      const names = Object.keys(configurations);
      const order = names.map((_, index) => names[(index + round) % names.length]);
      for (const name of order) {
        const { args, env } = configurations[name];
        const service = await startPinned(SERVICE_CORE, [...args, 'services/app.cjs'], {
          ...env,
          SCENARIO: scenario,
          PORT: String(ports.service),
          DOWNSTREAM_URL: `http://127.0.0.1:${ports.downstream}/price`,
        }, here);
        const url = `http://127.0.0.1:${ports.service}/orders/42`;
        loadTest(LOAD_CORE, url, warmupSeconds, connections, here);
        const cpuBefore = cpuSeconds(service.pid);
        const result = loadTest(LOAD_CORE, url, seconds, connections, here);
        const cpu = cpuSeconds(service.pid) - cpuBefore;
        const rss = rssMegabytes(service.pid);
        await stop(service);
        (samples[scenario] ??= {});
        (samples[scenario][name] ??= []).push({ ...result, cpuMicrosPerRequest: (cpu * 1e6) / result.total, rss });
        process.stderr.write(`${scenario} round ${round + 1} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.latencyP99} ms, errors ${result.errors}\n`);
      }
    }
  }
} finally {
  await stop(downstream);
  await stop(sink);
}

const startup = await measureStartupWithSink(quick ? 5 : 15, here);
const micro = runMicroBenchmarks(quick);
writeFileSync(join(here, '..', 'docs', 'benchmarks.md'), render());
process.stdout.write(render());

function render() {
  const lines = ['# Benchmarks', '', `Measured ${new Date().toISOString().slice(0, 10)} with \`pnpm bench\` on ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}.`,
    `Service pinned to core ${SERVICE_CORE}; autocannon (${connections} connections), the downstream service and the OTLP sink on core ${LOAD_CORE}. ${rounds} interleaved round(s) of ${seconds} s after a ${warmupSeconds} s warm-up per run; medians.`,
    'Every instrumented configuration exports traces, metrics and logs over OTLP/HTTP (protobuf) to the local sink. `chain` makes one outbound HTTP call and writes one pino log line; `db` runs one PostgreSQL query and writes one log line; `hello` answers at once.', ''];
  for (const scenario of SCENARIOS) {
    const byName = samples[scenario] ?? {};
    const baseline = byName['no instrumentation'] ?? [];
    lines.push(`## ${scenario}`, '', '| configuration | req/s | ratio | p50 ms | p99 ms | p99 ratio | CPU µs/req | RSS MB |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const [name, runs] of Object.entries(byName)) {
      const ratio = median(runs.map((run, index) => run.requestsPerSecond / (baseline[index]?.requestsPerSecond ?? NaN)));
      const p99Ratio = median(runs.map((run, index) => run.latencyP99 / (baseline[index]?.latencyP99 ?? NaN)));
      lines.push(`| ${name} | ${median(runs.map((run) => run.requestsPerSecond)).toFixed(0)} | ${ratio.toFixed(2)} | ${median(runs.map((run) => run.latencyP50))} | ${median(runs.map((run) => run.latencyP99))} | ${p99Ratio.toFixed(2)} | ${median(runs.map((run) => run.cpuMicrosPerRequest)).toFixed(0)} | ${median(runs.map((run) => run.rss)).toFixed(0)} |`);
    }
    lines.push('');
  }
  const base = startup['plain node'];
  lines.push('## Start-up (empty script)', '', '| configuration | wall ms | added ms | peak RSS MB | added MB |', '| --- | --- | --- | --- | --- |');
  for (const [name, { wallMs, rssMb }] of Object.entries(startup)) {
    lines.push(`| ${name} | ${wallMs.toFixed(0)} | ${(wallMs - base.wallMs).toFixed(0)} | ${rssMb.toFixed(1)} | ${(rssMb - base.rssMb).toFixed(1)} |`);
  }
  lines.push('', '## Hot primitives (in-process, ns per operation)', '', '| operation | ns/op |', '| --- | --- |');
  for (const [name, nanos] of Object.entries(micro)) lines.push(`| ${name} | ${nanos.toFixed(0)} |`);
  lines.push('', '## Targets and where the time goes', '',
    'Threadline aims at 0.80 of uninstrumented throughput for `chain` and 0.75 for `hello` with every signal exported at 100% sampling, p99 within 1.5x, start-up within +100 ms and +20 MB, and a correlated log line within 1.2x a plain pino line. Start-up is within its target; the throughput, p99 and log-line targets are not met yet.',
    '',
    'From CPU profiles of `hello` under load: Node 20\'s AsyncLocalStorage (`enterWith` per request, built on async_hooks) costs about 10 µs a request and subscribing to `http.server.request.start` about 5 µs in a bare server; OTLP protobuf encoding (`@opentelemetry/otlp-transformer`) costs the per-span figure above on the event loop; span start and end, exemplar bookkeeping and the metrics SDK\'s attribute hashing follow. A span encoder of Threadline\'s own (as for metrics), one-step request-context construction and cached metric attribute sets are the next steps.',
    '');
  return lines.join('\n');
}
