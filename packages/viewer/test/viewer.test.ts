import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver } from '@threadline/testing';
import { startViewer } from '../src';
import type { Viewer } from '../src';

const FIXTURES = join(__dirname, 'fixtures');

async function runFixture(viewer: Viewer, env: Record<string, string>): Promise<void> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(OTEL_|THREADLINE_|NODE_OPTIONS$)/.test(key)));
  const child = spawn(process.execPath, ['--require', '@threadline/node/register', 'one-failing-request.cjs'], {
    cwd: FIXTURES,
    env: { ...clean, OTEL_SERVICE_NAME: 'checkout', OTEL_EXPORTER_OTLP_ENDPOINT: viewer.otlpUrl, ...env },
    stdio: 'ignore',
  });
  const [code] = (await once(child, 'exit')) as [number];
  expect(code).toBe(0);
}

const getJson = async <T>(viewer: Viewer, path: string): Promise<T> => (await (await fetch(`${viewer.uiUrl}/api/${path}`)).json()) as T;

interface Traces { total: number; traces: { traceId: string; status: string; requestId: string; route: string; tags: Record<string, unknown>; versions: Record<string, string> }[] }
interface Logs { total: number; records: { traceId: string; requestId: string; body: string; level: string; attributes: Record<string, unknown> }[] }
interface Metrics { series: { service: string; route: string; totals: { requests: number; errors: number; errorRate: number }; exemplars: { traceId: string; requestId: string; error: boolean }[] }[] }

describe.each([['http/protobuf'], ['http/json']])('the viewer fed by a service exporting %s', (protocol) => {
  let viewer: Viewer;
  const requestId = `req-${protocol.slice(5)}-${Date.now()}`;

  beforeAll(async () => {
    viewer = await startViewer({ otlpPort: 0, uiPort: 0 });
    await runFixture(viewer, { OTEL_EXPORTER_OTLP_PROTOCOL: protocol, REQUEST_ID: requestId });
  }, 60_000);
  afterAll(() => viewer.stop());

  it('lists the failing trace, searchable by request ID, status and tag', async () => {
    const { traces } = await getJson<Traces>(viewer, `traces?requestId=${requestId}&status=error&tag=accountType:enterprise`);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ requestId, status: 'error', route: 'GET', versions: { checkout: '3.1.0' } });
    expect(traces[0]!.tags).toMatchObject({ accountType: 'enterprise', 'feature_flag.new-pricing': true });
    const none = await getJson<Traces>(viewer, `traces?requestId=${requestId}&status=ok`);
    expect(none.total).toBe(0);
  });

  it('answers the documented log queries, each line joined to its trace', async () => {
    const { traces } = await getJson<Traces>(viewer, `traces?requestId=${requestId}`);
    const query = encodeURIComponent(`level:error AND service:checkout AND request_id:${requestId}`);
    const { records } = await getJson<Logs>(viewer, `logs?q=${query}`);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ traceId: traces[0]!.traceId, requestId, body: 'order.pricing.failed', level: 'error' });
    expect(records[0]!.attributes).toMatchObject({ orderId: 42, 'error.message': 'discount missing' });
    expect((await getJson<Logs>(viewer, 'logs?q=accountType:enterprise')).total).toBe(1);
    expect((await getJson<Logs>(viewer, 'logs?q=feature_flags.new-pricing:true')).total).toBe(1);
    expect((await getJson<Logs>(viewer, 'logs?q=accountType:free')).total).toBe(0);
    const detail = await getJson<{ logs: unknown[] }>(viewer, `traces/${traces[0]!.traceId}`);
    expect(detail.logs).toHaveLength(1);
  });

  it('turns the duration histogram into request and error counts with an exemplar of the trace', async () => {
    const { traces } = await getJson<Traces>(viewer, `traces?requestId=${requestId}`);
    const { series } = await getJson<Metrics>(viewer, 'metrics?service=checkout');
    expect(series).toHaveLength(1);
    expect(series[0]!.totals).toMatchObject({ requests: 1, errors: 1, errorRate: 1 });
    expect(series[0]!.exemplars).toEqual([expect.objectContaining({ traceId: traces[0]!.traceId, requestId, error: true })]);
  });

  it(`received ${protocol}`, async () => {
    const { intake } = await getJson<{ intake: { protobuf: number; json: number; rejected: number } }>(viewer, 'stats');
    const [used, unused] = protocol === 'http/json' ? [intake.json, intake.protobuf] : [intake.protobuf, intake.json];
    expect(used).toBeGreaterThanOrEqual(3);
    expect(unused).toBe(0);
    expect(intake.rejected).toBe(0);
  });

  it('shows the version in "what changed"', async () => {
    const { services } = await getJson<{ services: { service: string; versions: { version: string }[]; flags: { flag: string; value: string }[] }[] }>(viewer, 'changes');
    expect(services).toEqual([expect.objectContaining({ service: 'checkout', versions: [expect.objectContaining({ version: '3.1.0' })] })]);
    expect(services[0]!.flags).toEqual([expect.objectContaining({ flag: 'new-pricing', value: 'true' })]);
  });
});

describe('the OTLP receiver', () => {
  it('keeps at most the configured traces, counts what it dropped, rejects what it cannot decode and forwards the rest', async () => {
    const backend = await startOtlpReceiver();
    const viewer = await startViewer({ otlpPort: 0, uiPort: 0, limits: { maxTraces: 2 }, forwardTo: backend.url });
    try {
      const span = (index: number) => ({
        traceId: `${String(index).padStart(2, '0')}${'a'.repeat(30)}`, spanId: 'b'.repeat(16), name: `span ${index}`, kind: 2,
        startTimeUnixNano: '1700000000000000000', endTimeUnixNano: '1700000000005000000', status: {},
      });
      for (const index of [1, 2, 3]) {
        const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'batch' } }] }, scopeSpans: [{ spans: [span(index)] }] }] });
        const answer = await fetch(`${viewer.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(body) });
        expect(answer.status).toBe(200);
      }
      const bad = await fetch(`${viewer.otlpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from([0xff, 0xff, 0xff]) });
      expect(bad.status).toBe(400);
      const { traces } = await getJson<Traces>(viewer, 'traces');
      expect(traces.map((trace) => trace.traceId.slice(0, 2)).sort()).toEqual(['02', '03']);
      const stats = await getJson<{ traces: number; dropped: { traces: number }; intake: { requests: number; rejected: number }; forwarding: { forwarded: number } }>(viewer, 'stats');
      expect(stats).toMatchObject({ traces: 2, dropped: { traces: 1 }, intake: { requests: 3, rejected: 1 } });
      await backend.waitForSpans((spans) => spans.length === 3);
      expect(backend.spans().map((received) => received.name).sort()).toEqual(['span 1', 'span 2', 'span 3']);
    } finally {
      await viewer.stop();
      await backend.stop();
    }
  });
});
