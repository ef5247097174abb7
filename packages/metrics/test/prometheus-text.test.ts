import type { OtlpResourceMetrics } from '../src/otlp-model';
import { labelName, prometheusName, toPrometheusText, unitSuffix } from '../src/prometheus-text';
import { negotiateFormat } from '../src/prometheus-endpoint';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function collection(requestId: string): OtlpResourceMetrics {
  const time = { startTimeUnixNano: 1n, timeUnixNano: 1_733_050_000_123_000_000n };
  return {
    resource: { 'service.name': 'orders', 'service.version': '1.2.3' },
    scopes: [
      {
        name: '@threadline/metrics',
        version: '0.1.0',
        metrics: [
          {
            name: 'http.server.request.duration', description: 'Duration of HTTP server requests.', unit: 's', kind: 'histogram', temporality: 2,
            points: [{
              ...time, attributes: { 'http.route': '/orders/:id', 'http.response.status_code': 200 }, count: 3, sum: 0.31, min: 0.01, max: 0.2,
              bucketCounts: [1, 1, 1], explicitBounds: [0.05, 0.1],
              exemplars: [{ value: 0.07, timeUnixNano: 1_733_050_000_123_000_000n, traceId: TRACE_ID, spanId: SPAN_ID, filteredAttributes: { 'request.id': requestId } }],
            }],
          },
          { name: 'orders.placed', description: '', unit: '{order}', kind: 'sum', temporality: 2, isMonotonic: true, points: [{ ...time, attributes: { 'payment.method': 'card' }, value: 4, isInt: true }] },
          { name: 'jobs.queue.depth', description: 'Jobs waiting.\nNow.', unit: '{job}', kind: 'sum', temporality: 2, isMonotonic: false, points: [{ ...time, attributes: {}, value: 2, isInt: true }] },
          { name: 'prices.cache.hit_ratio', description: '', unit: '1', kind: 'gauge', points: [{ ...time, attributes: { '1st.key': 'a"b\\c' }, value: 0.5, isInt: false }] },
        ],
      },
    ],
  };
}

describe('Prometheus exposition', () => {
  it('names metrics by the compatibility rules: unit suffixes, _total on counters, ratio for unit 1', () => {
    expect(prometheusName({ name: 'http.server.request.duration', unit: 's', kind: 'histogram' })).toBe('http_server_request_duration_seconds');
    expect(prometheusName({ name: 'process.memory.usage', unit: 'By', kind: 'sum' })).toBe('process_memory_usage_bytes');
    expect(prometheusName({ name: 'orders.placed', unit: '{order}', kind: 'sum' })).toBe('orders_placed');
    expect(prometheusName({ name: 'cpu.seconds', unit: 's', kind: 'sum' })).toBe('cpu_seconds');
    expect(unitSuffix('By/s', 'gauge')).toBe('bytes_per_second');
    expect(unitSuffix('1', 'gauge')).toBe('ratio');
    expect(labelName('1st.key')).toBe('key_1st_key');
    expect(labelName('http.route')).toBe('http_route');
  });

  it('writes OpenMetrics with exemplars on the bucket their value falls in, and # EOF', () => {
    const text = toPrometheusText(collection('req-1'), 'openmetrics');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# HELP target_info Target metadata');
    expect(lines).toContain('target_info{service_name="orders",service_version="1.2.3"} 1');
    expect(lines).toContain('# TYPE http_server_request_duration_seconds histogram');
    expect(lines).toContain('# UNIT http_server_request_duration_seconds seconds');
    const scope = 'otel_scope_name="@threadline/metrics",otel_scope_version="0.1.0"';
    const series = `http_route="/orders/:id",http_response_status_code="200",${scope}`;
    expect(lines).toContain(`http_server_request_duration_seconds_bucket{${series},le="0.05"} 1`);
    expect(lines).toContain(`http_server_request_duration_seconds_bucket{${series},le="0.1"} 2 # {trace_id="${TRACE_ID}",span_id="${SPAN_ID}",request_id="req-1"} 0.07 1733050000.123`);
    expect(lines).toContain(`http_server_request_duration_seconds_bucket{${series},le="+Inf"} 3`);
    expect(lines).toContain(`http_server_request_duration_seconds_sum{${series}} 0.31`);
    expect(lines).toContain(`http_server_request_duration_seconds_count{${series}} 3`);
    expect(lines).toContain('# TYPE orders_placed counter');
    expect(lines).toContain(`orders_placed_total{payment_method="card",${scope}} 4`);
    // A non-monotonic sum is a gauge; descriptions are escaped.
    expect(lines).toContain('# HELP jobs_queue_depth Jobs waiting.\\nNow.');
    expect(lines).toContain('# TYPE jobs_queue_depth gauge');
    expect(lines).toContain(`prices_cache_hit_ratio{key_1st_key="a\\"b\\\\c",${scope}} 0.5`);
    expect(lines.at(-1)).toBe('# EOF');
  });

  it('keeps an exemplar within 128 characters of labels by leaving out a request ID that does not fit', () => {
    const long = 'r'.repeat(60);
    const text = toPrometheusText(collection(long), 'openmetrics');
    const exemplar = /# \{([^}]*)\}/.exec(text)?.[1] ?? '';
    expect(exemplar).toBe(`trace_id="${TRACE_ID}",span_id="${SPAN_ID}"`);
    const fits = toPrometheusText(collection('r'.repeat(55)), 'openmetrics');
    expect(/# \{([^}]*)\}/.exec(fits)?.[1]).toContain(`request_id="${'r'.repeat(55)}"`);
  });

  it('writes the classic format without exemplars, naming a counter family with _total', () => {
    const text = toPrometheusText(collection('req-1'), 'classic');
    expect(text).toContain('# TYPE orders_placed_total counter');
    expect(text).not.toContain('# {');
    expect(text).not.toContain('# EOF');
    expect(text).not.toContain('# UNIT');
  });

  it('serves OpenMetrics only to a scraper that asks for it', () => {
    expect(negotiateFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')).toBe('openmetrics');
    expect(negotiateFormat('text/plain')).toBe('classic');
    expect(negotiateFormat(undefined)).toBe('classic');
  });
});
