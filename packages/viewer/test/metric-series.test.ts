import { computeMetricSeries } from '../src';
import type { StoredHistogramPoint } from '../src';

const BOUNDS = [0.1, 0.5, 1];

const point = (timeMillis: number, counts: number[], overrides: Partial<StoredHistogramPoint> = {}): StoredHistogramPoint => ({
  metric: 'http.server.request.duration', unit: 's', service: 'orders', instance: 'one',
  attributes: { 'http.route': '/orders', 'http.response.status_code': 200 },
  cumulative: true, startMillis: 0, timeMillis,
  count: counts.reduce((sum, count) => sum + count, 0), sum: 0, bucketCounts: counts, explicitBounds: BOUNDS, exemplars: [],
  ...overrides,
});

describe('metric series from histogram points', () => {
  it('turns cumulative points into per-window rates and latency quantiles', () => {
    const { windowMillis, series } = computeMetricSeries([
      point(10_000, [10, 0, 0, 0]),
      point(20_000, [10, 10, 0, 0]),
    ], { windowMillis: 10_000 });
    expect(windowMillis).toBe(10_000);
    expect(series).toHaveLength(1);
    const [first, second] = series[0]!.windows;
    expect(first).toMatchObject({ requests: 10, ratePerSecond: 1, errors: 0 });
    expect(first!.p95).toBeCloseTo(95, 5); // 95% of the way through the 0-100 ms bucket
    expect(second).toMatchObject({ requests: 10 });
    expect(second!.p99).toBeCloseTo(100 + 400 * 0.99, 5); // inside the 100-500 ms bucket
    expect(series[0]!.totals.requests).toBe(20);
  });

  it('counts 5xx series as errors, keeps a restarted process as a new series, and marks error exemplars', () => {
    const failing = { 'http.route': '/orders', 'http.response.status_code': 500 };
    const exemplar = { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), requestId: 'req-9', value: 0.7, timeMillis: 15_000 };
    const { series } = computeMetricSeries([
      point(10_000, [4, 0, 0, 0]),
      point(20_000, [4, 0, 0, 0]),
      point(20_000, [0, 0, 2, 0], { instance: 'two', startMillis: 15_000, attributes: failing, exemplars: [exemplar] }),
      point(30_000, [0, 0, 3, 0], { instance: 'two', startMillis: 15_000, attributes: failing, exemplars: [exemplar] }),
    ]);
    expect(series[0]!.totals).toMatchObject({ requests: 7, errors: 3 });
    expect(series[0]!.totals.errorRate).toBeCloseTo(3 / 7, 5);
    expect(series[0]!.exemplars).toEqual([{ ...exemplar, valueMillis: 700, error: true }]);
  });

  it('filters by time, service and route', () => {
    const points = [point(10_000, [1, 0, 0, 0]), point(20_000, [3, 0, 0, 0]), point(20_000, [5, 0, 0, 0], { service: 'pricing' })];
    expect(computeMetricSeries(points, { sinceMillis: 15_000, service: 'orders' }).series[0]!.totals.requests).toBe(2);
    expect(computeMetricSeries(points, { route: '/other' }).series).toEqual([]);
  });
});
