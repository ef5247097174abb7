// Bundles the bootstrap and the SDK parts it starts with into one file. Loading the same code
// as ~150 separate modules costs ~100 ms more at start-up on a 2-core machine (module
// resolution and file reads); see docs/benchmarks.md. `@opentelemetry/api` stays external
// (one copy per process, shared with the app), and so do the packages loaded lazily on the
// first export.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';

const LAZY = ['@opentelemetry/api', '@opentelemetry/sdk-metrics', '@opentelemetry/sdk-logs', '@opentelemetry/api-logs', 'pino', '@opentelemetry/instrumentation*', '@opentelemetry/otlp-exporter-base', '@opentelemetry/otlp-exporter-base/node-http', '@opentelemetry/otlp-transformer', '@grpc/grpc-js'];

// Workspace packages are bundled from their TypeScript sources, as ES modules, so that esbuild
// can drop what is unused in them and in the SDK (a CommonJS require keeps a whole module).
const WORKSPACE = Object.fromEntries(
  ['core', 'tracing', 'log-correlation', 'metrics'].map((name) => [`@threadline/${name}`, `../${name}/src/index.ts`]),
);

await build({
  entryPoints: ['src/index.ts'],
  outfile: 'bundle/index.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: LAZY,
  alias: WORKSPACE,
  // OpenTelemetry's packages ship ES modules too; preferring them lets unused code be dropped.
  mainFields: ['module', 'main'],
  legalComments: 'eof',
  logLevel: 'warning',
});
// The mark tells doctor mode how Threadline was started (an ES module app needs this entry).
writeFileSync(
  'bundle/register.cjs',
  "'use strict';\n// node --require @threadline/node/register\nglobalThis[Symbol.for('threadline.started-by-register')] = true;\nrequire('./index.cjs').start();\n",
);
