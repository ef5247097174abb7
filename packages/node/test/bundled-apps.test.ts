import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { threadlineEsbuildPlugin } from '@threadline/esbuild-plugin';
import type { OtlpReceiver } from '@threadline/testing';
import { waitFor } from '@threadline/testing';
import { FIXTURES, diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

// Bundles the fixture app at test time, runs the bundle as a child process and checks what
// arrived. Needs PostgreSQL and Redis on loopback (DEVELOPERS.md).
const SERVER = 2;
const CLIENT = 3;
const BUNDLES = join(FIXTURES, '.bundles');
const ENTRIES = join(FIXTURES, 'bundled');

describe('bundled apps', () => {
  const receiver = useReceiver();
  let outDir: string;
  beforeAll(() => {
    mkdirSync(BUNDLES, { recursive: true });
    // Inside the package, so the externals resolve from its node_modules as a deployed app's would.
    outDir = mkdtempSync(join(BUNDLES, 'run-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('esbuild with the plugin, started with --require: HTTP, fetch, pg, ioredis, node-redis spans and correlated pino and winston lines', async () => {
    const outfile = join(outDir, 'esbuild-external.cjs');
    await build({ entryPoints: [join(ENTRIES, 'external-entry.mjs')], outfile, bundle: true, platform: 'node', format: 'cjs', plugins: [threadlineEsbuildPlugin()], logLevel: 'silent' });
    const result = await exercise(receiver, ['--require', '@threadline/node/register', outfile]);
    expectAllSignals(receiver, result.stdout, ['ioredis', 'redis']);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('esbuild ESM output with the plugin, started with --import', async () => {
    const outfile = join(outDir, 'esbuild-external.mjs');
    await build({
      entryPoints: [join(ENTRIES, 'external-entry.mjs')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      plugins: [threadlineEsbuildPlugin()],
      logLevel: 'silent',
    });
    const result = await exercise(receiver, ['--import', '@threadline/node/register', outfile]);
    expectAllSignals(receiver, result.stdout, ['ioredis', 'redis']);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('webpack with ThreadlineWebpackPlugin (webpack-cli), started with --require', async () => {
    const cli = require.resolve('webpack-cli/bin/cli.js');
    await promisify(execFile)(process.execPath, [cli, '--config', join(ENTRIES, 'webpack.config.cjs')], {
      cwd: FIXTURES,
      env: { ...process.env, BUNDLE_DIR: outDir },
    });
    const result = await exercise(receiver, ['--require', '@threadline/node/register', join(outDir, 'server.cjs')]);
    expectAllSignals(receiver, result.stdout, ['ioredis', 'redis']);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('everything bundled, clients handed to start({ modules }): their signals arrive, and what could not be instrumented is said once', async () => {
    const outfile = join(outDir, 'esbuild-modules.cjs');
    await build({ entryPoints: [join(ENTRIES, 'modules-entry.mjs')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    const result = await exercise(receiver, [outfile]);
    expectAllSignals(receiver, result.stdout, ['ioredis']);
    const warnings = diagnosticLines(result.stderr);
    expect(warnings).toHaveLength(2);
    expect(warnings.find((line) => line.includes('could not instrument the redis'))).toMatch(/keep it external/);
    const bundled = warnings.find((line) => line.includes('this app is bundled'))!;
    expect(bundled).toContain('mysql2 is not instrumented');
    for (const handedOver of ['pg', 'pino', 'winston', 'ioredis']) expect(bundled).not.toContain(handedOver);
  });

  it('clients bundled, Threadline external and started with --require: instrumentModules() hands them over', async () => {
    const outfile = join(outDir, 'esbuild-instrument-modules.cjs');
    await build({
      entryPoints: [join(ENTRIES, 'instrument-modules-entry.mjs')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['@threadline/*', '@opentelemetry/*'],
      logLevel: 'silent',
    });
    const result = await exercise(receiver, ['--require', '@threadline/node/register', outfile]);
    expectAllSignals(receiver, result.stdout, ['ioredis']);
    const warnings = diagnosticLines(result.stderr);
    expect(warnings).toEqual([expect.stringContaining('this app is bundled (esbuild): mysql2, redis are not instrumented')]);
  });

  it('everything bundled with no hand-over: start-up names each client and logger it cannot see', async () => {
    const outfile = join(outDir, 'esbuild-plain.cjs');
    await build({ entryPoints: [join(ENTRIES, 'external-entry.mjs')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    const app = startApp(['--require', '@threadline/node/register', outfile], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    await app.waitForPort(30_000);
    // Without a plugin's footer the report comes a second after start.
    await waitFor(() => (app.errors().includes('this app is bundled') ? true : undefined), 15_000);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    const warnings = diagnosticLines(result.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('this app is bundled (esbuild): pg, mysql2, ioredis, redis, pino, winston are not instrumented');
  });
});

async function exercise(receiver: OtlpReceiver, args: string[]) {
  const app = startApp(args, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'bundled' });
  const port = await app.waitForPort(30_000);
  const answer = await fetch(`http://127.0.0.1:${port}/work`);
  expect(await answer.text()).toBe('ok');
  // Past the start-up report's delay (one second after start, which came before listening),
  // so that its warnings, or their absence, are in.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  app.child.kill('SIGTERM');
  return app.exited;
}

/** The request's trace holds the server span, the fetch client span, pg and Redis spans; both loggers' lines carry its IDs. */
function expectAllSignals(receiver: OtlpReceiver, stdout: string, redisClients: string[]): void {
  const spans = receiver.spans();
  const server = spans.find((span) => span.kind === SERVER && span.attributes['url.path'] === '/work');
  expect(server).toBeDefined();
  const inTrace = spans.filter((span) => span.traceId === server!.traceId);
  const fetchSpan = inTrace.find((span) => span.kind === CLIENT && String(span.attributes['url.full']).endsWith('/inner'));
  expect(fetchSpan?.parentSpanId).toBe(server!.spanId);
  expect(inTrace.find((span) => span.kind === SERVER && span.parentSpanId === fetchSpan!.spanId)).toBeDefined();
  const pg = inTrace.find((span) => span.attributes['db.system.name'] === 'postgresql');
  expect(pg?.attributes['db.query.text']).toBe('SELECT $1::text AS value');
  const redis = inTrace.filter((span) => span.attributes['db.system.name'] === 'redis');
  expect(redis.map((span) => span.scope.name.replace('@opentelemetry/instrumentation-', '')).sort()).toEqual([...redisClients].sort());

  const records = receiver.logRecords();
  for (const body of ['pino.line', 'winston.line']) {
    const record = records.find((candidate) => candidate.body === body);
    expect(record?.traceId).toBe(server!.traceId);
    const line = stdout.split('\n').find((text) => text.includes(body));
    expect(JSON.parse(line!)).toMatchObject({ trace_id: server!.traceId, request_id: server!.attributes['request.id'] });
  }
}
