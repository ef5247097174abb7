import { createServer } from 'node:net';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';
import { freePort } from '@threadline/testing';
import { startPrometheus } from './helpers/prometheus';

const SERVER_KIND = 2;

describe('Prometheus scrape endpoint', () => {
  const receiver = useReceiver();

  it('is scraped by Prometheus: quantiles and error ratios per route, exemplars that lead to traces and request IDs', async () => {
    const metricsPort = await freePort();
    const app = startApp(['--require', '@threadline/node/register', 'prometheus-app.cjs'], {
      OTEL_SERVICE_NAME: 'orders',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'prometheus,otlp',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
    const port = await app.waitForPort();
    const prometheus = await startPrometheus(`127.0.0.1:${metricsPort}`);
    try {
      const startedAt = Date.now() / 1000;
      const sent = new Map<string, { total: number; errors: number }>();
      const count = (route: string, status: number): void => {
        const counts = sent.get(route) ?? { total: 0, errors: 0 };
        counts.total++;
        if (status >= 500) counts.errors++;
        sent.set(route, counts);
      };
      // Traffic for a few scrapes: a mix of routes and statuses.
      for (let id = 1; Date.now() / 1000 - startedAt < 8; id++) {
        for (const [route, path] of [['/orders/:id', `/orders/${id}`], ['/orders/:id', `/orders/${id + 1000}`], ['/missing/:id', `/missing/${id}`], ['/broken/:id', `/broken/${id}`]] as const) {
          const answer = await fetch(`http://127.0.0.1:${port}${path}`);
          await answer.arrayBuffer();
          count(route, answer.status);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const total = [...sent.values()].reduce((sum, counts) => sum + counts.total, 0);
      // Wait until a scrape after the last request has been stored.
      const counted = 'sum by (http_route) (http_server_request_duration_seconds_count{job="service"})';
      let stored = 0;
      for (const deadline = Date.now() + 20_000; stored !== total && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        stored = (await prometheus.query(counted)).reduce((sum, entry) => sum + Number(entry.value[1]), 0);
      }
      expect(stored).toBe(total);

      const quantiles = await prometheus.query('histogram_quantile(0.99, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[30s])))');
      const byRoute = new Map(quantiles.map((entry) => [entry.metric.http_route, Number(entry.value[1])]));
      expect([...byRoute.keys()].sort()).toEqual(['/broken/:id', '/missing/:id', '/orders/:id']);
      for (const value of byRoute.values()) expect(value).toBeGreaterThan(0);

      const errorRatio = await prometheus.query(
        'sum by (http_route) (http_server_request_duration_seconds_count{http_response_status_code=~"5.."}) / sum by (http_route) (http_server_request_duration_seconds_count)',
      );
      const ratios = Object.fromEntries(errorRatio.map((entry) => [entry.metric.http_route, Number(entry.value[1])]));
      const expected = Object.fromEntries([...sent].map(([route, counts]) => [route, counts.errors / counts.total]));
      expect(expected['/orders/:id']).toBeGreaterThan(0);
      expect(expected['/orders/:id']).toBeLessThan(1);
      // A route with no 5xx has no 5xx series, so no ratio; every other route's ratio is what was sent.
      expect(ratios).toEqual(Object.fromEntries(Object.entries(expected).filter(([, ratio]) => ratio > 0)));

      // Resource attributes arrive once, as target_info.
      const info = await prometheus.query('target_info{job="service"}');
      expect(info[0]?.metric).toMatchObject({ service_name: 'orders', telemetry_sdk_language: 'nodejs' });

      const found = await prometheus.exemplars('http_server_request_duration_seconds_bucket', startedAt - 5, Date.now() / 1000 + 5);
      const exemplars = found.flatMap((series) => series.exemplars.map((exemplar) => ({ ...exemplar, route: series.seriesLabels.http_route })));
      expect(exemplars.length).toBeGreaterThan(0);
      app.child.kill('SIGTERM');
      const result = await app.exited;
      expect(diagnosticLines(result.stderr)).toEqual([]);
      const spans = await receiver.waitForSpans((received) => exemplars.every((exemplar) => received.some((span) => span.traceId === exemplar.labels.trace_id)));
      for (const exemplar of exemplars) {
        const entry = spans.find((span) => span.traceId === exemplar.labels.trace_id && span.kind === SERVER_KIND && !span.parentSpanId);
        expect(entry).toBeDefined();
        expect(exemplar.labels.span_id).toBe(entry!.spanId);
        expect(exemplar.labels.request_id).toBe(entry!.attributes['request.id']);
        expect(entry!.attributes['http.route']).toBe(exemplar.route);
      }
      // With otlp beside prometheus, the same histogram also went out over OTLP.
      expect(receiver.metrics().some((metric) => metric.name === 'http.server.request.duration')).toBe(true);
    } finally {
      app.child.kill('SIGKILL');
      await prometheus.stop();
    }
  }, 90_000);

  it('serves the classic text format to a scraper that does not ask for OpenMetrics, and only what the rules name', async () => {
    const metricsPort = await freePort();
    const app = startApp(['--require', '@threadline/node/register', 'prometheus-app.cjs'], {
      OTEL_SERVICE_NAME: 'orders',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    try {
      const port = await app.waitForPort();
      for (const path of ['/orders/1', '/orders/4', '/missing/1']) await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
      const classic = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(classic.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await classic.text();
      expect(text).toContain('# TYPE http_server_request_duration_seconds histogram');
      expect(text).toMatch(/^http_server_request_duration_seconds_bucket\{http_request_method="GET",.*http_response_status_code="503",http_route="\/orders\/:id",.*le="\+Inf"\} 1$/m);
      expect(text).toMatch(/^http_server_request_duration_seconds_count\{.*http_route="\/missing\/:id".*\} 1$/m);
      // The scrapes themselves are not the app's requests.
      expect(text).not.toContain('http_route="/metrics"');
      expect(text.match(/^http_server_request_duration_seconds_count\{.*\} \d+$/gm)).toHaveLength(3);
      expect(text).toMatch(/^target_info\{.*service_name="orders".*\} 1$/m);
      expect(text).not.toContain('# {trace_id=');
      expect(text).not.toContain('# EOF');
      const open = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
      expect(open.headers.get('content-type')).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
      const openText = await open.text();
      expect(openText).toMatch(/_bucket\{.*\} \d+ # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}",request_id="[^"]+"\} [0-9.e-]+ \d+\.\d{3}$/m);
      expect(openText.trimEnd().endsWith('# EOF')).toBe(true);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/other`)).status).toBe(404);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  });

  it('warns once and keeps serving the app when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const address = taken.address();
    const app = startApp(['--require', '@threadline/node/register', 'prometheus-app.cjs'], {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(typeof address === 'object' && address ? address.port : 0),
    });
    try {
      const port = await app.waitForPort();
      expect((await fetch(`http://127.0.0.1:${port}/orders/1`)).status).toBe(200);
    } finally {
      app.child.kill('SIGTERM');
    }
    const result = await app.exited;
    taken.close();
    const warnings = diagnosticLines(result.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Prometheus endpoint could not listen on 127\.0\.0\.1:\d+ .*EADDRINUSE/);
  });
});
