import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { diagnosticLines, runApp, startApp } from './helpers/run-app';

const LONG_RUNNING = ['--require', '@threadline/node/register', 'long-running.cjs'];
// A schedule delay longer than any test: spans only leave the process when Threadline flushes.
const NO_SCHEDULED_EXPORT = { OTEL_BSP_SCHEDULE_DELAY: '600000' };

describe('lifecycle', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.stop());
  beforeEach(() => {
    receiver.clear();
    receiver.setFault(undefined);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('on %s flushes every finished span, then ends by the signal', async (signal) => {
    const app = startApp(LONG_RUNNING, { ...NO_SCHEDULED_EXPORT, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, SPAN_COUNT: '25' });
    await app.waitForOutput('ready');
    app.child.kill(signal);
    const result = await app.exited;
    // Killed by the signal itself: a shell reports 128 + signal number (143 for SIGTERM).
    expect(result.signal).toBe(signal);
    expect(result.code).toBeNull();
    expect(receiver.spans().map((span) => span.name).sort()).toEqual(
      Array.from({ length: 25 }, (_, index) => `job-${index}`).sort(),
    );
  });

  it('reports exit status 143 to a shell on SIGTERM', async () => {
    const script = `node --require @threadline/node/register long-running.cjs & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo "status=$?"`;
    const app = startApp(['-e', `require('node:child_process').spawn('sh', ['-c', ${JSON.stringify(script)}], { stdio: 'inherit' })`], {
      ...NO_SCHEDULED_EXPORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    const result = await app.exited;
    expect(result.stdout).toContain('status=143');
    expect(receiver.spans()).toHaveLength(3);
  });

  it('lets an app that handles SIGTERM itself decide, after flushing', async () => {
    const app = startApp(LONG_RUNNING, { ...NO_SCHEDULED_EXPORT, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OWN_HANDLER: '1' });
    await app.waitForOutput('ready');
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(result.stdout).toContain('app handled SIGTERM');
    expect(result.code).toBe(7);
    expect(receiver.spans()).toHaveLength(3);
  });

  it('finishes its flush when the app cleans up and re-raises the signal meanwhile', async () => {
    // The receiver answers late, so the flush is still running when the app re-raises SIGTERM.
    receiver.setFault({ delayMillis: 800 });
    const app = startApp(LONG_RUNNING, { ...NO_SCHEDULED_EXPORT, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OWN_HANDLER: 'reraise', SPAN_COUNT: '7' });
    await app.waitForOutput('ready');
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(result.stdout).toContain('app cleaning up');
    expect(result.signal).toBe('SIGTERM');
    expect(receiver.spans()).toHaveLength(7);
  });

  it('exits promptly when the endpoint is unreachable', async () => {
    const closed = await startOtlpReceiver();
    const url = closed.url;
    await closed.stop();
    const startedAt = Date.now();
    const result = await runApp(['--require', '@threadline/node/register', 'span.cjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: url });
    expect(result.code).toBe(0);
    // The OTLP retry schedule alone would keep it alive for ~8 s; the exit flush makes one attempt.
    expect(Date.now() - startedAt).toBeLessThan(4000);
    expect(diagnosticLines(result.stderr).join('\n')).toContain('ECONNREFUSED');
  });

  it('gives up a hanging export at the shutdown deadline on SIGTERM', async () => {
    receiver.setFault({ hang: true });
    const app = startApp(LONG_RUNNING, {
      ...NO_SCHEDULED_EXPORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      THREADLINE_SHUTDOWN_TIMEOUT: '1000',
    });
    await app.waitForOutput('ready');
    const killedAt = Date.now();
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(result.signal).toBe('SIGTERM');
    // Well below the 10 s export timeout: the 1 s shutdown deadline ended it.
    expect(Date.now() - killedAt).toBeLessThan(5000);
    expect(receiver.requests).toHaveLength(1);
  });

  it('reports failed and timeout from forceFlush and shutdown, never rejecting', async () => {
    receiver.setFault({ status: 400 });
    const failed = JSON.parse((await runApp(['start.cjs', JSON.stringify({ endpoint: receiver.url })])).stdout);
    expect(failed.flushed.status).toBe('failed');
    expect(failed.flushed.error).toContain('400');

    receiver.setFault({ hang: true });
    const startedAt = Date.now();
    const hung = await runApp(['start.cjs', JSON.stringify({ endpoint: receiver.url, shutdownTimeoutMillis: 300 })]);
    const outcome = JSON.parse(hung.stdout);
    expect(outcome.flushed.status).toBe('timeout');
    expect(outcome.shutdown.status).toBe('timeout');
    expect(outcome.again).toEqual(outcome.shutdown);
    // The shutdown abandoned the hanging export, so the process did not wait out the 10 s
    // export timeout before ending.
    expect(Date.now() - startedAt).toBeLessThan(5000);
  });

  it('warns once when started twice or when another tracer provider came first, and keeps running', async () => {
    const result = await runApp(['second-provider.cjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ same: true });
    const lines = diagnosticLines(result.stderr);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('another tracer provider was registered before Threadline started');
    expect(lines[1]).toContain('start() was called more than once');
  });
});
