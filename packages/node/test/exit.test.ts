import { request } from 'node:http';
import type { ReceivedMetric } from '@threadline/testing';
import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';

// Nothing leaves the process on a schedule during a test: what arrives was sent by the exit paths.
const NO_SCHEDULED_EXPORT = {
  OTEL_BSP_SCHEDULE_DELAY: '600000',
  OTEL_BLRP_SCHEDULE_DELAY: '600000',
  OTEL_METRIC_EXPORT_INTERVAL: '600000',
  THREADLINE_RUNTIME_METRICS: 'false',
};
const REQUESTS = 20;

/** One GET on a fresh connection (no keep-alive, so that server.close() can finish). */
function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

function serverRequestCount(metrics: ReceivedMetric[]): number {
  // Cumulative: the latest point of each series counts every request since start.
  const latest = new Map<string, number>();
  for (const metric of metrics.filter((candidate) => candidate.name === 'http.server.request.duration')) {
    for (const point of metric.dataPoints as { attributes: Record<string, unknown>; count: unknown }[]) {
      latest.set(JSON.stringify(point.attributes), Number(point.count));
    }
  }
  return [...latest.values()].reduce((sum, count) => sum + count, 0);
}

describe('nothing finished is lost at exit', () => {
  const receiver = useReceiver();
  beforeEach(() => receiver.setFault(undefined));

  const exercise = async (pattern: string, env: Record<string, string> = {}) => {
    const app = startApp(['--require', '@threadline/node/register', 'exit-app.cjs'], {
      ...NO_SCHEDULED_EXPORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      EXIT_PATTERN: pattern,
      ...env,
    });
    const port = await app.waitForPort();
    const answers = [];
    for (let i = 0; i < REQUESTS; i++) answers.push(JSON.parse((await get(port, `/work/${i}`)).body) as { traceId: string; requestId: string });
    app.child.kill('SIGTERM');
    return { answers, result: await app.exited };
  };

  const expectEverythingArrived = (answers: { traceId: string }[]) => {
    const spans = receiver.spans();
    // Unique span IDs: a request still being sent at exit is sent again, so it may arrive twice.
    const spanIds = new Set(spans.map((span) => span.spanId));
    expect(spanIds.size).toBe(REQUESTS * 2);
    expect(new Set(spans.filter((span) => span.name.startsWith('work-')).map((span) => span.name)).size).toBe(REQUESTS);
    expect(new Set(spans.map((span) => span.traceId))).toEqual(new Set(answers.map((answer) => answer.traceId)));
    const workLines = receiver.logRecords().filter((record) => record.body === 'work.done');
    expect(new Set(workLines.map((record) => record.traceId)).size).toBe(REQUESTS);
    expect(serverRequestCount(receiver.metrics())).toBe(REQUESTS);
  };

  it("sends everything when Threadline's own signal handling ends the process", async () => {
    const { answers, result } = await exercise('threadline');
    expect(result.signal).toBe('SIGTERM');
    expectEverythingArrived(answers);
  });

  it('sends everything when the app closes its server on SIGTERM, then calls process.exit(0)', async () => {
    const { answers, result } = await exercise('close-with-grace');
    expect(result.code).toBe(0);
    expectEverythingArrived(answers);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('sends everything when the app calls process.exit(0) at once on SIGTERM', async () => {
    const { answers, result } = await exercise('exit-now');
    expect(result.code).toBe(0);
    expectEverythingArrived(answers);
  });

  it('lets an app started with --require reach the handle through getTelemetry() and shut down first', async () => {
    const { answers, result } = await exercise('shutdown-first');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('shutdown ok');
    expectEverythingArrived(answers);
    // One start: no "start() was called more than once" warning.
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('says in one line how much could not be sent when the collector does not answer, and still exits in time', async () => {
    receiver.setFault({ hang: true });
    const startedAt = Date.now();
    const { result } = await exercise('close-with-grace', { THREADLINE_SHUTDOWN_TIMEOUT: '1000' });
    expect(result.code).toBe(0);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    const lost = diagnosticLines(result.stderr).filter((line) => line.includes('they are lost'));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatch(/the process exited before \d+ spans, \d+ log records, \d+ metric points could be sent \(within \d+ ms\)/);
    // What was lost is what was sent: the receiver got the requests but never answered.
    expect(receiver.requests.length).toBeGreaterThan(0);
  });

  it('exports with its normal timeouts again when a process goes on working after beforeExit', async () => {
    // Each answer takes 100 ms; the exit deadline is 1.5 s and the second phase lasts 3 s. Once
    // that deadline had passed, an export still in the "exiting" state got 1 ms, and the second
    // phase's spans were lost.
    receiver.setFault({ delayMillis: 100 });
    const app = startApp(['--require', '@threadline/node/register', 'before-exit-app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      THREADLINE_SHUTDOWN_TIMEOUT: '1500',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    const result = await app.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('second phase');
    const names = new Set(receiver.spans().map((span) => span.name));
    expect(names).toEqual(new Set(['first-phase', ...Array.from({ length: 20 }, (_, index) => `second-phase-${index}`)]));
    // Several scheduled exports happened during the second phase, not one flush at the end.
    expect(receiver.requests.length).toBeGreaterThan(2);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('gives an ESM app started with --import the running handle through getTelemetry()', async () => {
    const app = startApp(['--import', '@threadline/node/register', 'get-telemetry.mjs'], {
      ...NO_SCHEDULED_EXPORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'esm-orders',
    });
    const result = await app.exited;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ service: 'esm-orders', status: 'ok' });
    expect(receiver.spans().map((span) => span.name)).toEqual(['esm-work']);
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });
});
