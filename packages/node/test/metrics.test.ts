import type { ReceivedMetric, ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

type Point = Record<string, unknown> & { attributes: Record<string, unknown> };
interface Exemplar {
  traceId: string;
  spanId: string;
  filteredAttributes?: { key: string; value: { stringValue?: string } }[];
}

describe('metrics', () => {
  const receiver = useReceiver();

  /** Runs metrics-app, sends `paths` (with `method`), lets it export, stops it; returns the last export of each metric. */
  async function exercise(paths: { path: string; method?: string }[], env: Record<string, string> = {}, concurrency = 1) {
    const app = startApp(['--require', '@threadline/node/register', 'metrics-app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      ...env,
    });
    const port = await app.waitForPort();
    const queue = [...paths];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const answer = await fetch(`http://127.0.0.1:${port}${next.path}`, { method: next.method ?? 'GET' });
          await answer.arrayBuffer();
        }
      }),
    );
    // Longer than the runtime metrics' start delay, so that they are in the final export.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    expect(receiver.errors).toEqual([]);
    const last = new Map<string, ReceivedMetric>();
    for (const metric of receiver.metrics()) last.set(`${metric.scope.name} ${metric.name}`, metric);
    const find = (name: string) => {
      const metric = [...last.values()].find((candidate) => candidate.name === name && candidate.scope.name === '@threadline/metrics');
      if (!metric) {
        const received = receiver.requests.map((request) => `${request.signal}${request.fault ? ' (fault)' : ''}`).join(', ');
        throw new Error(`no ${name} exported; requests: ${received}; metrics: ${[...last.keys()].join(', ')}; stderr: ${result.stderr}`);
      }
      return metric;
    };
    return { find, all: [...last.values()], spans: receiver.spans() };
  }

  const pointWith = (metric: ReceivedMetric | undefined, attributes: Record<string, unknown>) =>
    (metric?.dataPoints as Point[] | undefined)?.find((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value));

  const requestIdOf = (exemplar: Exemplar) => exemplar.filteredAttributes?.find((entry) => entry.key === 'request.id')?.value.stringValue;

  it.each(['http/protobuf', 'http/json'])('exports HTTP and DB durations with exemplars that lead to real spans and requests (%s)', async (protocol) => {
    const paths = ['/orders/1', '/orders/2', '/orders/3', '/missing/9', '/broken/8', '/broken/7', '/proxy/4'].map((path) => ({ path }));
    const { find, spans } = await exercise(paths, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol });

    const server = find('http.server.request.duration');
    expect(server).toMatchObject({ unit: 's', type: 'histogram' });
    const count = (point: Point | undefined) => Number(point?.count);
    // /proxy/4 calls /orders/4 on the same service: four /orders requests in all.
    expect(count(pointWith(server, { 'http.route': '/orders/:id', 'http.response.status_code': 200, 'http.request.method': 'GET', 'url.scheme': 'http' }))).toBe(4);
    expect(count(pointWith(server, { 'http.route': '/missing/:id', 'http.response.status_code': 404 }))).toBe(1);
    const broken = pointWith(server, { 'http.route': '/broken/:id', 'http.response.status_code': 503 });
    expect(count(broken)).toBe(2);
    expect(broken?.attributes['error.type']).toBe('503');
    expect(pointWith(server, { 'http.route': '/missing/:id' })?.attributes).not.toHaveProperty('error.type');
    expect((server?.dataPoints[0] as Point).explicitBounds).toEqual([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);

    const client = find('http.client.request.duration');
    expect(count(pointWith(client, { 'http.request.method': 'GET', 'http.response.status_code': 200, 'server.address': '127.0.0.1' }))).toBe(1);

    const db = find('db.client.operation.duration');
    expect(count(pointWith(db, { 'db.system.name': 'postgresql', 'db.operation.name': 'SELECT', 'db.namespace': 'test', 'server.port': 5432 }))).toBe(4);
    expect(count(pointWith(db, { 'db.system.name': 'redis', 'db.operation.name': 'GET', 'server.port': 6379 }))).toBe(4);

    // Every exemplar names a span the receiver got, in a trace whose entry span carries the
    // same request ID as the exemplar.
    const spanById = new Map(spans.map((span) => [span.spanId, span]));
    const entryOf = (span: ReceivedSpan) => spans.find((candidate) => candidate.traceId === span.traceId && candidate.parentSpanId === '')!;
    let exemplars = 0;
    for (const metric of [server, client, db]) {
      for (const point of (metric?.dataPoints ?? []) as Point[]) {
        for (const exemplar of (point.exemplars ?? []) as Exemplar[]) {
          const span = spanById.get(exemplar.spanId);
          expect(span?.traceId).toBe(exemplar.traceId);
          expect(requestIdOf(exemplar)).toBe(entryOf(span!).attributes['request.id']);
          exemplars++;
        }
      }
    }
    expect(exemplars).toBeGreaterThanOrEqual(6);
  });

  it('counts every request in the RED metrics whatever the sampling rules drop', async () => {
    const paths = ['/orders/1', '/orders/2', '/missing/9', '/missing/8', '/broken/7'].map((path) => ({ path }));
    const { find, spans } = await exercise(paths, { THREADLINE_SAMPLING_RULES: '/missing/*=0,GET /orders/:id=1,*=0' });
    const servers = spans.filter((span) => span.kind === 2);
    expect(servers.map((span) => span.attributes['url.path']).sort()).toEqual(['/orders/1', '/orders/2']);
    // The rest of a sampled request's trace follows its server span.
    for (const server of servers) expect(spans.filter((span) => span.traceId === server.traceId && span.attributes['db.system.name']).length).toBeGreaterThanOrEqual(2);
    const server = find('http.server.request.duration');
    expect(Number(pointWith(server, { 'http.route': '/orders/:id' })?.count)).toBe(2);
    expect(Number(pointWith(server, { 'http.route': '/missing/:id' })?.count)).toBe(2);
    expect(Number(pointWith(server, { 'http.route': '/broken/:id' })?.count)).toBe(1);
  });

  it('keeps HTTP series bounded over 10,000 requests to random paths and methods', async () => {
    // Methods Node's HTTP parser accepts; the last three are not in the conventions' list.
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'PURGE', 'PROPFIND', 'MKCOL'];
    const paths = Array.from({ length: 10_000 }, (_, index) => ({
      path: `/random/${Math.random().toString(36).slice(2)}/${index}?user=${index}`,
      method: methods[index % methods.length],
    }));
    // Periodic exports during the run as well as the final one.
    const { find } = await exercise(paths, { THREADLINE_SHUTDOWN_TIMEOUT: '20000', OTEL_METRIC_EXPORT_INTERVAL: '1000' }, 50);
    const server = find('http.server.request.duration')!;
    const points = server.dataPoints as Point[];
    // No route matched: methods (unknown ones folded into _OTHER) times one status.
    expect(points.length).toBeLessThanOrEqual(6);
    expect(points.reduce((sum, point) => sum + Number(point.count), 0)).toBe(10_000);
    expect(new Set(points.map((point) => point.attributes['http.request.method']))).toEqual(new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', '_OTHER']));
    expect(JSON.stringify(points)).not.toContain('/random/');
  });

  it('puts measurements past the series limit into one overflow series, losing none', async () => {
    const paths = Array.from({ length: 40 }, (_, index) => ({ path: `/count/b${index % 20}` }));
    const { all } = await exercise(paths, { THREADLINE_METRIC_CARDINALITY_LIMIT: '5' });
    const counted = all.find((metric) => metric.name === 'orders.counted')!;
    const points = counted.dataPoints as Point[];
    expect(points.length).toBeLessThanOrEqual(5);
    expect(points.some((point) => point.attributes['otel.metric.overflow'] === true)).toBe(true);
    expect(points.reduce((sum, point) => sum + Number(point.asDouble ?? point.asInt), 0)).toBe(40);
  });

  it('counts every request and query when traces are not sampled', async () => {
    const paths = Array.from({ length: 5 }, (_, index) => ({ path: `/orders/${index}` }));
    const { find, spans } = await exercise(paths, { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' });
    expect(spans).toEqual([]);
    expect(Number(pointWith(find('http.server.request.duration'), { 'http.route': '/orders/:id' })?.count)).toBe(5);
    const db = find('db.client.operation.duration');
    expect(Number(pointWith(db, { 'db.system.name': 'postgresql' })?.count)).toBe(5);
    expect(Number(pointWith(db, { 'db.system.name': 'redis' })?.count)).toBe(5);
    for (const point of (db?.dataPoints ?? []) as Point[]) expect(point.exemplars ?? []).toEqual([]);
  });

  it('exports runtime metrics and the helper instruments with sane values', async () => {
    const { all } = await exercise([{ path: '/orders/2' }, { path: '/orders/3' }, { path: '/broken/1' }]);
    const value = (name: string, attributes: Record<string, unknown> = {}) => {
      const point = pointWith(all.find((metric) => metric.name === name), attributes);
      return Number(point?.asDouble ?? point?.asInt);
    };
    const space = { 'v8js.heap.space.name': 'old_space' };
    const heapUsed = value('v8js.memory.heap.used', space);
    expect(heapUsed).toBeGreaterThan(1e6);
    expect(heapUsed).toBeLessThanOrEqual(value('v8js.memory.heap.space.size', space));
    const names = all.map((metric) => metric.name);
    for (const outside of ['v8js.memory.heap.limit', 'nodejs.active_handles']) expect(names).not.toContain(outside);
    expect(value('process.cpu.time', { 'cpu.mode': 'user' })).toBeGreaterThan(0);
    expect(value('process.memory.usage')).toBeGreaterThan(10e6);
    const utilization = value('nodejs.eventloop.utilization');
    expect(utilization).toBeGreaterThanOrEqual(0);
    expect(utilization).toBeLessThanOrEqual(1);
    expect(value('nodejs.eventloop.delay.p99')).toBeGreaterThanOrEqual(value('nodejs.eventloop.delay.p50'));
    expect(value('nodejs.eventloop.delay.p50')).toBeGreaterThan(0);
    // The service's listening socket is one of the resources keeping its loop alive.
    expect(value('v8js.resource.active', { 'v8js.resource.type': 'TCPServerWrap' })).toBeGreaterThanOrEqual(1);
    expect(value('jobs.queue.depth')).toBe(2);
    expect(value('prices.cache.requests', { 'cache.result': 'hit' })).toBe(1);
    expect(value('prices.cache.requests', { 'cache.result': 'miss' })).toBe(1);
    expect(value('prices.cache.hit_ratio')).toBe(0.5);
    expect(value('orders.errors', { 'error.type': 'TypeError' })).toBe(1);
  });
});
