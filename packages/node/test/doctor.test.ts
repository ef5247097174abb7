import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { OtlpReceiver } from '@threadline/testing';
import type { DoctorReport } from '../src/doctor/report-types';
import { FIXTURES, runApp } from './helpers/run-app';

// Runs `threadline doctor` (the package's bin) on one fixture app per broken setup, as a user
// would, and checks that the report names the problem and its fix.
const BIN = join(__dirname, '..', 'bin', 'threadline.cjs');
const REGISTER = ['--require', '@threadline/node/register'];
const SERVICE = [...REGISTER, 'doctor/service.cjs'];

interface DoctorRun {
  code: number | null;
  report: DoctorReport;
  stdout: string;
  stderr: string;
}

/**
 * Loading all seventeen instrumented packages takes seconds on a busy 2-core machine (once more
 * than the 2 s wait plus the command's margin): the report still comes as soon as the app
 * listens, so a longer wait costs nothing when start-up is quick.
 */
const SLOW_START = ['--wait', '20000'];

async function doctor(command: string[], env: Record<string, string> = {}, flags: string[] = []): Promise<DoctorRun> {
  const result = await runApp([BIN, 'doctor', '--json', '--wait', '2000', ...flags, '--', process.execPath, ...command], env);
  let report: DoctorReport;
  try {
    report = JSON.parse(result.stdout) as DoctorReport;
  } catch {
    throw new Error(`not JSON: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return { code: result.code, report, stdout: result.stdout, stderr: result.stderr };
}

const ids = (report: DoctorReport): string[] => report.problems.map((found) => found.id);
const found = (report: DoctorReport, id: string) => report.problems.find((entry) => entry.id === id);

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('threadline doctor', () => {
  const http = new OtlpReceiver({ protocol: 'http' });
  const grpc = new OtlpReceiver({ protocol: 'grpc' });
  let healthyEnv: Record<string, string>;
  beforeAll(async () => {
    await Promise.all([http.start(), grpc.start()]);
    healthyEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: http.url };
  });
  afterAll(() => Promise.all([http.stop(), grpc.stop()]));

  it('healthy: every loaded module is proved patched or subscribed, every endpoint answers, no problem, --strict exits 0', async () => {
    const { code, report } = await doctor(SERVICE, healthyEnv, ['--strict']);
    expect(report.problems).toEqual([]);
    expect(code).toBe(0);
    const state = (name: string) => report.instrumentations.find((row) => row.name === name);
    expect(state('http')).toMatchObject({ state: 'subscribed', target: 'node:http' });
    expect(state('undici')?.state).toBe('subscribed');
    expect(state('express')).toMatchObject({ state: 'patched', version: expect.stringMatching(/^5\./) });
    expect(state('express')?.path).toMatch(/node_modules[\\/]express$/);
    expect(state('pg')).toMatchObject({ state: 'patched', evidence: expect.stringContaining('Client.prototype.query') });
    expect(state('pino')?.state).toBe('patched');
    expect(state('mysql2')?.state).toBe('not loaded');
    expect(report.endpoints.map((row) => [row.signal, row.status])).toEqual([
      ['traces', 'answers'],
      ['metrics', 'answers'],
      ['logs', 'answers'],
    ]);
    expect(report.startedBy).toBe('register');
    expect(report.sampler.ratio).toBe(1);
    const endpoint = report.config.find((row) => row.option === 'endpoint');
    expect(endpoint).toMatchObject({ source: 'environment', variable: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: http.url });
    expect(report.config.find((row) => row.option === 'protocol')).toMatchObject({ source: 'default', value: 'http/protobuf' });
  });

  it('every instrumented module loaded: the probe proves each one, with its path and version', async () => {
    const { report } = await doctor([...REGISTER, 'doctor/every-module.cjs'], healthyEnv, SLOW_START);
    expect(report.instrumentations.map((row) => [row.name, row.state])).toEqual([
      ['http', 'subscribed'],
      ['undici', 'subscribed'],
      ['express', 'patched'],
      ['fastify', 'subscribed'],
      ['koa', 'patched'],
      ['hono', 'patched'],
      ['nestjs', 'patched'],
      ['pg', 'patched'],
      ['mysql2', 'patched'],
      ['ioredis', 'patched'],
      ['redis', 'patched'],
      ['pino', 'patched'],
      ['winston', 'patched'],
      ['amqplib', 'patched'],
      ['nats', 'patched'],
      ['mqtt', 'patched'],
      ['bullmq', 'patched'],
    ]);
    for (const row of report.instrumentations.slice(2)) {
      expect(row.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(row.path).toContain('node_modules');
    }
    expect(report.problems).toEqual([]);
  });

  it('an instrumentation turned off is shown as off, and its module is not probed', async () => {
    const { report } = await doctor([...REGISTER, 'doctor/every-module.cjs'], { ...healthyEnv, OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,express' }, SLOW_START);
    expect(report.instrumentations.filter((row) => row.state === 'off').map((row) => row.name)).toEqual(['express', 'pg']);
    expect(report.problems).toEqual([]);
  });

  it('prints one table without --json', async () => {
    const result = await runApp([BIN, 'doctor', '--', process.execPath, ...SERVICE], healthyEnv);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Threadline doctor: fixture-orders/);
    expect(result.stdout).toMatch(/pg +pg +patched +8\.\d+\.\d+/);
    expect(result.stdout).toMatch(/traces +http:\/\/127\.0\.0\.1:\d+\/v1\/traces +http\/protobuf +answers/);
    expect(result.stdout).toContain('No problems found.');
  });

  it('modules loaded before Threadline: names them, with the fix; --strict exits 1', async () => {
    const { code, report } = await doctor(['doctor/loaded-early.cjs'], healthyEnv, ['--strict']);
    expect(code).toBe(1);
    expect(report.loadedBefore).toEqual(expect.arrayContaining(['pg', 'pino']));
    const problem = found(report, 'loaded-before-start');
    expect(problem?.message).toMatch(/pg and pino were loaded before Threadline started/);
    expect(problem?.fix).toContain('node --require @threadline/node/register loaded-early.cjs');
    expect(report.instrumentations.find((row) => row.name === 'pg')?.state).toBe('not patched');
    // The warnings the app printed are explained from the catalog.
    expect(report.printedWarnings?.find((warning) => warning.line.includes('pg was loaded before'))?.id).toBe('loaded-before-start');
  });

  it('a module loaded after Threadline whose patch was removed: the probe sees it is not patched', async () => {
    const { code, report } = await doctor([...REGISTER, 'doctor/unpatched.cjs'], healthyEnv, ['--strict']);
    expect(code).toBe(1);
    expect(report.loadedBefore).toEqual([]);
    expect(report.instrumentations.find((row) => row.name === 'pg')).toMatchObject({ state: 'not patched', evidence: 'Client.prototype.query is not wrapped' });
    expect(ids(report)).toEqual(['not-patched']);
    expect(found(report, 'not-patched')?.message).toMatch(/^pg 8\.\d+\.\d+ is loaded from .*node_modules[\\/]pg, but Client\.prototype\.query is not wrapped$/);
  });

  it('an ES module app started without the import hook: names it and gives the --import command', async () => {
    const { code, report } = await doctor(['doctor/esm-without-hook.mjs'], healthyEnv, ['--strict']);
    expect(code).toBe(1);
    expect(report.moduleSystem).toBe('esm');
    expect(report.startedBy).toBe('start()');
    expect(found(report, 'esm-without-hook')?.message).toContain('pg loaded before it');
    expect(found(report, 'esm-without-hook')?.fix).toBe('start it with node --import @threadline/node/register esm-without-hook.mjs');
  });

  it('the same ES module app started with --import has no such problem', async () => {
    const { report } = await doctor(['--import', '@threadline/node/register', 'doctor/esm-without-hook.mjs'], healthyEnv);
    expect(ids(report)).toEqual([]);
    expect(report.instrumentations.find((row) => row.name === 'pg')?.state).toBe('patched');
  });

  it('a bundled app: names the bundler and what it lost', async () => {
    const outDir = join(FIXTURES, '.bundles');
    mkdirSync(outDir, { recursive: true });
    const outfile = join(mkdtempSync(join(outDir, 'doctor-')), 'bundled.cjs');
    await build({ entryPoints: [join(FIXTURES, 'doctor', 'bundled-entry.mjs')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent', external: ['pg-native'] });
    try {
      const { code, report } = await doctor([...REGISTER, outfile], healthyEnv, ['--strict']);
      expect(code).toBe(1);
      expect(report.bundle).toMatchObject({ bundler: 'esbuild' });
      expect(report.bundle?.lost).toContain('pg');
      const problem = found(report, 'bundled-app');
      expect(problem?.message).toMatch(/bundled \(esbuild\): .*pg/);
      expect(problem?.fix).toContain('@threadline/esbuild-plugin');
    } finally {
      rmSync(dirname(outfile), { recursive: true, force: true });
    }
  });

  it('two copies of @opentelemetry/api: names both paths', async () => {
    mkdirSync(join(FIXTURES, '.bundles'), { recursive: true });
    const copyRoot = mkdtempSync(join(FIXTURES, '.bundles', 'api-'));
    const entry = require.resolve('@opentelemetry/api');
    const api = entry.slice(0, entry.lastIndexOf(join('node_modules', '@opentelemetry', 'api')) + join('node_modules', '@opentelemetry', 'api').length);
    cpSync(api, join(copyRoot, 'node_modules', '@opentelemetry', 'api'), { recursive: true, dereference: true });
    try {
      const { code, report } = await doctor(['doctor/duplicate-api.cjs'], { ...healthyEnv, SECOND_API_ROOT: copyRoot }, ['--strict']);
      expect(code).toBe(1);
      const problem = found(report, 'duplicate-api');
      expect(problem?.message).toMatch(/^2 copies of @opentelemetry\/api are loaded/);
      expect(problem?.message).toContain(join(copyRoot, 'node_modules', '@opentelemetry', 'api'));
      expect(problem?.fix).toMatch(/dedupe/);
    } finally {
      rmSync(copyRoot, { recursive: true, force: true });
    }
  });

  it("another SDK's tracer provider registered first: names it", async () => {
    const { code, report } = await doctor(['doctor/second-sdk.cjs'], healthyEnv, ['--strict']);
    expect(code).toBe(1);
    expect(report.foreignTracerProvider).toBe('VendorTracerProvider');
    expect(found(report, 'duplicate-sdk')?.message).toContain('the global tracer provider is another SDK\'s (VendorTracerProvider)');
    expect(report.printedWarnings?.map((warning) => warning.id)).toContain('tracer-provider-registered');
  });

  it('an endpoint that refuses connections: names the port', async () => {
    const port = await closedPort();
    const { code, report } = await doctor(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}` }, ['--strict']);
    expect(code).toBe(1);
    expect(report.endpoints.map((row) => row.status)).toEqual(['refused', 'refused', 'refused']);
    expect(found(report, 'endpoint-refused')?.message).toContain(`nothing listens on 127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('OTLP/HTTP sent to a gRPC port: names the mismatch and the fix', async () => {
    const { code, report } = await doctor(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: grpc.url }, ['--strict']);
    expect(code).toBe(1);
    expect(report.endpoints.every((row) => row.status === 'protocol mismatch')).toBe(true);
    const problem = found(report, 'protocol-mismatch');
    expect(problem?.message).toMatch(/speaks HTTP\/2 \(an OTLP\/gRPC port/);
    expect(problem?.fix).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=grpc');
  });

  it('OTLP/gRPC configured against an HTTP port: names the mismatch and the fix', async () => {
    const { code, report } = await doctor(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: http.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, ['--strict']);
    expect(code).toBe(1);
    expect(report.endpoints.map((row) => [row.protocol, row.status])).toEqual(Array(3).fill(['grpc', 'protocol mismatch']));
    const problem = found(report, 'protocol-mismatch');
    expect(problem?.message).toMatch(/speaks HTTP\/1\.1 \(an OTLP\/HTTP port/);
    expect(problem?.fix).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf');
  });

  it('OTLP/gRPC against a gRPC receiver answers', async () => {
    const { report } = await doctor(SERVICE, { OTEL_EXPORTER_OTLP_ENDPOINT: grpc.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(report.endpoints.map((row) => [row.status, row.detail])).toEqual(Array(3).fill(['answers', 'gRPC status OK to an empty export']));
    expect(ids(report)).toEqual([]);
  });

  it('a sampler at 0: names the ratio and the variable that set it', async () => {
    const { code, report } = await doctor(SERVICE, { ...healthyEnv, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, ['--strict']);
    expect(code).toBe(1);
    expect(report.sampler.ratio).toBe(0);
    expect(ids(report)).toEqual(['sampler-zero']);
    expect(found(report, 'sampler-zero')?.message).toContain('OTEL_TRACES_SAMPLER_ARG=0');
  });

  it('telemetry turned off, and a setting that does not parse: both named', async () => {
    const disabled = await doctor(SERVICE, { ...healthyEnv, OTEL_SDK_DISABLED: 'true' }, ['--strict']);
    expect(disabled.code).toBe(1);
    expect(ids(disabled.report)).toEqual(['disabled']);
    const invalid = await doctor(SERVICE, { ...healthyEnv, OTEL_TRACES_SAMPLER_ARG: 'half' });
    expect(invalid.code).toBe(0);
    expect(found(invalid.report, 'invalid-setting')?.message).toBe('OTEL_TRACES_SAMPLER_ARG="half" is invalid (expected a number from 0 to 1); using 1');
  });

  it('masks secrets in the configuration: header values and URL credentials', async () => {
    const { report } = await doctor(SERVICE, { ...healthyEnv, OTEL_EXPORTER_OTLP_HEADERS: 'x-honeycomb-team=abc123,authorization=Bearer s3cret', OTEL_RESOURCE_ATTRIBUTES: 'team=payments,db.password=hunter2' });
    const text = JSON.stringify(report);
    for (const secret of ['abc123', 's3cret', 'hunter2']) expect(text).not.toContain(secret);
    expect(report.config.find((row) => row.option === 'headers')).toMatchObject({ value: 'x-honeycomb-team=[REDACTED],authorization=[REDACTED]', source: 'environment' });
    expect(report.config.find((row) => row.option === 'resourceAttributes')?.value).toBe('team=payments,db.password=[REDACTED]');
    // The probe sent the real headers: the receiver saw them.
    expect(http.requests.some((request) => request.headers['x-honeycomb-team'] === 'abc123')).toBe(true);
  });

  it('a command that never starts Threadline: says so; --strict exits 1', async () => {
    const { code, report } = await doctor(['doctor/no-start.cjs'], healthyEnv, ['--strict', '--wait', '500']);
    expect(code).toBe(1);
    expect(ids(report)).toEqual(['not-started']);
  });

  const exitSoon = 'setTimeout(() => process.exit(0), 1500)';
  it.each([
    ['--require', [...REGISTER, '-e', `require('./doctor/service.cjs'); ${exitSoon}`]],
    ['--import', ['--import', '@threadline/node/register', '--input-type=module', '-e', `await import('./doctor/service.cjs'); ${exitSoon}`]],
    ['start() in code', ['-e', `require('@threadline/node').start(); require('./doctor/service.cjs'); ${exitSoon}`]],
  ])('THREADLINE_DOCTOR=1 with %s prints the same report on stderr, once', async (_form, args) => {
    const result = await runApp(args, { ...healthyEnv, THREADLINE_DOCTOR: '1' });
    expect(result.stderr).toMatch(/^threadline info: doctor report\nThreadline doctor: fixture-orders/m);
    expect(result.stderr.match(/doctor report/g)).toHaveLength(1);
    expect(result.stderr).toMatch(/pg +pg +patched/);
    expect(result.stderr).toMatch(/traces +http:\/\/127\.0\.0\.1:\d+\/v1\/traces +http\/protobuf +answers/);
    expect(result.stderr).toContain('No problems found.');
    expect(result.code).toBe(0);
  });
});
