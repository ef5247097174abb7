// `pnpm demo`: a small system with a production-style bug, and the investigation.
//
//   gateway (Express) -> orders (Fastify, PostgreSQL through pg) -> pricing (node:http)
//
// Each service is started with Threadline's one-line bootstrap and exports to a local viewer.
// Traffic runs for a while; mid-run a deploy restarts one service with a new version and turns
// a feature flag on for some users, and from then on a bug drawn from the seed breaks a subset
// of requests. At the end the investigation is printed, computed only from what the viewer
// received, followed by what was planted.
import { writeFileSync } from 'node:fs';
import { startViewer } from '@threadline/viewer';
import { startDatabase } from './lib/database.mjs';
import { investigate } from './lib/investigate.mjs';
import { parseOptions } from './lib/options.mjs';
import { STALL_MILLIS } from './lib/planted-bug.mjs';
import { printInvestigation, printPlanted } from './lib/print-investigation.mjs';
import { freePort, startService } from './lib/processes.mjs';
import { drawScenario } from './lib/scenario.mjs';
import { driveTraffic } from './lib/traffic.mjs';

const options = parseOptions(process.argv.slice(2));
const scenario = drawScenario(options.seed);
const { planted } = scenario;

// The viewer on its usual ports, or free ones if those are taken. With
// OTEL_EXPORTER_OTLP_ENDPOINT set, it forwards everything it receives to that backend too.
async function startViewerOn(otlpPort, uiPort) {
  const forwardTo = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  try {
    return await startViewer({ otlpPort, uiPort, forwardTo });
  } catch (error) {
    if (error.code !== 'EADDRINUSE') throw error;
    return startViewer({ otlpPort: 0, uiPort: 0, forwardTo });
  }
}

const viewer = await startViewerOn(options.otlpPort, options.uiPort);
const database = await startDatabase();
console.log(`Threadline incident demo, seed ${options.seed} (run again with --seed ${options.seed} for the same bug)`);
console.log(`  viewer      ${viewer.uiUrl}   (OTLP on ${viewer.otlpUrl})`);
console.log(`  database    ${database.description}`);
if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) console.log(`  forwarding  to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`);

const ports = { gateway: await freePort(), orders: await freePort(), pricing: await freePort() };
const telemetry = {
  OTEL_EXPORTER_OTLP_ENDPOINT: viewer.otlpUrl,
  // Short intervals so that the viewer is up to date within a second or two.
  OTEL_BSP_SCHEDULE_DELAY: '500',
  OTEL_BLRP_SCHEDULE_DELAY: '500',
  OTEL_METRIC_EXPORT_INTERVAL: '2000',
  // The demo's readiness checks are not traffic: no spans, no metrics.
  THREADLINE_IGNORE_PATHS: '/health',
  DEMO_SEED: String(options.seed),
};
const backgroundFlags = JSON.stringify({ [scenario.backgroundFlag]: 30 });
const definitions = {
  pricing: { script: 'pricing.mjs', register: false, env: { FEATURE_FLAGS: backgroundFlags } },
  orders: { script: 'orders.mjs', register: true, env: { FEATURE_FLAGS: backgroundFlags, DATABASE_URL: database.url, PRICING_URL: `http://127.0.0.1:${ports.pricing}` } },
  gateway: { script: 'gateway.mjs', register: true, env: { ORDERS_URL: `http://127.0.0.1:${ports.orders}` } },
};
const start = (name, version, extraEnv = {}) => {
  const { env, ...definition } = definitions[name];
  return startService({ name, ...definition, port: ports[name], version, env: { ...telemetry, ...env, ...extraEnv } });
};

const services = {};
for (const name of ['pricing', 'orders', 'gateway']) services[name] = await start(name, scenario.versions[name]);
console.log(`  services    gateway ${scenario.versions.gateway}, orders ${scenario.versions.orders}, pricing ${scenario.versions.pricing}\n`);

// The deploy: the new version ships the bug and a flag rolled out to half the users.
async function deploy() {
  await services[planted.service].stop();
  const flags = JSON.stringify({ [scenario.backgroundFlag]: 30, [planted.flag]: planted.flagRollout });
  services[planted.service] = await start(planted.service, planted.version, {
    FEATURE_FLAGS: flags,
    DEMO_BUG: JSON.stringify({ accountType: planted.accountType, flag: planted.flag, mode: planted.mode }),
  });
}

const durationMillis = options.duration * 1000;
await driveTraffic({
  gatewayUrl: services.gateway.url,
  users: scenario.users,
  durationMillis,
  seed: options.seed,
  events: [{ atMillis: Math.round(durationMillis * 0.4), label: `deploying ${planted.service} ${planted.version}`, doneLabel: `(${planted.service} ${planted.version} deployed)`, run: deploy }],
});

// Let requests still in flight finish, stalled ones included, as a drain before a shutdown
// would; then SIGTERM each service: Threadline flushes its spans, logs and metrics first.
await new Promise((resolve) => setTimeout(resolve, STALL_MILLIS + 2000));
for (const service of Object.values(services)) await service.stop();
await database.stop();

const findings = await investigate(viewer.uiUrl);
printInvestigation(findings, viewer.uiUrl);
printPlanted(planted, findings.found);

if (options.report) {
  const keys = ['accountType', 'flag', 'service', 'version', 'mode'];
  const pickKeys = (source) => Object.fromEntries(keys.map((key) => [key, source[key] ?? null]));
  writeFileSync(options.report, `${JSON.stringify({
    seed: options.seed,
    viewer: viewer.uiUrl,
    planted: pickKeys(planted),
    found: { ...pickKeys(findings.found), traceId: findings.found.traceId ?? null },
  }, null, 2)}\n`);
}

if (options.exit) await viewer.stop();
else {
  console.log(`\nThe viewer stays up at ${viewer.uiUrl} : press Ctrl-C to end.`);
  process.once('SIGINT', () => viewer.stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => viewer.stop().then(() => process.exit(0)));
}
