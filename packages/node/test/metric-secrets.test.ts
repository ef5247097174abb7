import { randomBytes } from 'node:crypto';
import type { ReceivedMetric } from '@threadline/testing';
import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';

// Needs PostgreSQL on loopback (see DEVELOPERS.md).
type Point = { attributes: Record<string, unknown> } & Record<string, unknown>;

describe('metric attributes named like secrets', () => {
  const receiver = useReceiver();

  /** Runs metric-secrets-app, requests `paths`, stops it; returns the last export of each metric and the prefix. */
  async function exercise(paths: string[], env: Record<string, string> = {}) {
    const prefix = `metric${randomBytes(6).toString('hex')}`;
    const app = startApp(['--require', '@threadline/node/register', 'metric-secrets-app.cjs'], {
      SECRET: prefix,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      ...env,
    });
    const port = await app.waitForPort();
    for (const path of paths) await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const body = JSON.stringify(receiver.requests.filter((request) => request.signal === 'metrics').map((request) => request.body), (_key, value: unknown) =>
      typeof value === 'bigint' ? String(value) : value,
    );
    const last = new Map<string, ReceivedMetric>();
    for (const metric of receiver.metrics()) last.set(`${metric.scope.name} ${metric.name}`, metric);
    return { body, prefix, metrics: [...last.values()] };
  }

  const pointsOf = (metrics: ReceivedMetric[], name: string) => metrics.filter((metric) => metric.name === name).flatMap((metric) => metric.dataPoints as Point[]);

  it('are masked on the app instruments and on Threadline helpers, each in one series', async () => {
    const { body, prefix, metrics } = await exercise(['/secret/1', '/secret/2', '/secret/3']);
    expect(body).not.toContain(prefix);
    const logins = pointsOf(metrics, 'app.logins');
    expect(logins.map((point) => [point.attributes, Number(point.asInt ?? point.asDouble)])).toEqual([[{ 'user.password': '[REDACTED]', method: 'form' }, 3]]);
    const latency = pointsOf(metrics, 'app.login.duration');
    expect(latency.map((point) => [point.attributes, Number(point.count)])).toEqual([[{ authorization: '[REDACTED]', method: 'form' }, 3]]);
    expect(pointsOf(metrics, 'app.sessions').map((point) => point.attributes)).toEqual([{ 'session.token': '[REDACTED]', region: 'eu' }]);
    const orders = pointsOf(metrics, 'app.orders');
    expect(orders.map((point) => [point.attributes, Number(point.asInt ?? point.asDouble)])).toEqual([[{ api_key: '[REDACTED]', plan: 'pro' }, 3]]);
  }, 30_000);

  it('follow the configured names on Threadline\'s own duration metrics, which stay one per database client', async () => {
    const { metrics } = await exercise(['/query'], { THREADLINE_REDACT_KEYS: 'password,server.port,url.scheme' });
    const server = pointsOf(metrics, 'http.server.request.duration');
    expect(server.length).toBeGreaterThan(0);
    for (const point of server) expect(point.attributes).toMatchObject({ 'url.scheme': '[REDACTED]', 'http.request.method': 'GET' });
    const client = pointsOf(metrics, 'http.client.request.duration');
    expect(client.map((point) => point.attributes['server.port'])).toEqual(['[REDACTED]']);
    expect(client[0]?.attributes['server.address']).toBe('127.0.0.1');
    // instrumentation-pg's own copy of the database duration is not exported beside Threadline's.
    const database = metrics.filter((metric) => metric.name === 'db.client.operation.duration');
    expect(database.map((metric) => metric.scope.name)).toEqual(['@threadline/metrics']);
    expect((database[0]?.dataPoints as Point[]).map((point) => point.attributes['server.port'])).toEqual(['[REDACTED]']);
    // pg's pool metrics still arrive.
    expect(metrics.some((metric) => metric.scope.name === '@opentelemetry/instrumentation-pg')).toBe(true);
  }, 30_000);
});
