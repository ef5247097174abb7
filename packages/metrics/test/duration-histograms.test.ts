import type { HistogramPointWithExemplars } from '../src/duration-histograms';
import { DurationHistogram } from '../src/duration-histograms';

const BOUNDS = [0.1, 1];
const span = (spanId: string) => ({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId, traceFlags: 1 });
const END: [number, number] = [1_764_000_000, 0];

function points(histogram: DurationHistogram): HistogramPointWithExemplars[] {
  return (histogram.collect(END)?.dataPoints ?? []) as HistogramPointWithExemplars[];
}

describe('DurationHistogram', () => {
  it('counts each measurement in its bucket, with sum, min and max, cumulatively', () => {
    const histogram = new DurationHistogram('m', 'd', BOUNDS, 10);
    for (const seconds of [0.05, 0.1, 0.5, 1, 3]) histogram.record(seconds, { route: '/a', status: 200 });
    histogram.record(-1, { route: '/a', status: 200 });
    histogram.record(Number.NaN, { route: '/a', status: 200 });
    const [point] = points(histogram);
    expect(point!.attributes).toEqual({ route: '/a', status: 200 });
    expect(point!.value).toEqual({ buckets: { boundaries: BOUNDS, counts: [2, 2, 1] }, count: 5, sum: 4.65, min: 0.05, max: 3 });
    histogram.record(0.2, { route: '/a', status: 200 });
    expect(points(histogram)[0]!.value.count).toBe(6);
    expect(histogram.collect(END)?.descriptor).toMatchObject({ name: 'm', description: 'd', unit: 's' });
  });

  it('keeps the last sampled measurement per bucket and series, with the request ID', () => {
    const histogram = new DurationHistogram('m', 'd', BOUNDS, 10);
    histogram.record(0.05, { route: '/a' }, span('0000000000000001'), 'req-1');
    histogram.record(0.07, { route: '/a' }, span('0000000000000002'), 'req-2');
    histogram.record(0.08, { route: '/a' });
    histogram.record(5, { route: '/a' }, span('0000000000000003'));
    histogram.record(0.5, { route: '/b' }, span('0000000000000004'), 'req-4');
    const [a, b] = points(histogram);
    expect(a!.exemplars!.map((exemplar) => [exemplar.value, exemplar.spanId, exemplar.filteredAttributes])).toEqual([
      [0.07, '0000000000000002', { 'request.id': 'req-2' }],
      [5, '0000000000000003', {}],
    ]);
    expect(typeof a!.exemplars![0]!.timeUnixNano).toBe('bigint');
    expect(b!.exemplars!.map((exemplar) => exemplar.spanId)).toEqual(['0000000000000004']);
  });

  it('keeps series apart by every attribute value', () => {
    const histogram = new DurationHistogram('m', 'd', BOUNDS, 10);
    histogram.record(0.5, { route: '/a', status: 200 });
    histogram.record(0.5, { route: '/a', status: 500 });
    histogram.record(0.5, { route: '/a', status: 200, 'error.type': 'x' });
    histogram.record(0.5, { route: '/a', status: 200 });
    expect(points(histogram).map((point) => [point.attributes, point.value.count])).toEqual([
      [{ route: '/a', status: 200 }, 2],
      [{ route: '/a', status: 500 }, 1],
      [{ route: '/a', status: 200, 'error.type': 'x' }, 1],
    ]);
  });

  it('puts new series past the limit into one overflow series without exemplars, losing nothing', () => {
    const histogram = new DurationHistogram('m', 'd', BOUNDS, 3);
    for (const route of ['/a', '/b', '/c', '/d', '/a']) histogram.record(0.5, { route }, span('0000000000000001'), 'r');
    const all = points(histogram);
    expect(all.map((point) => [point.attributes, point.value.count])).toEqual([
      [{ route: '/a' }, 2],
      [{ route: '/b' }, 1],
      [{ 'otel.metric.overflow': true }, 2],
    ]);
    expect(all[2]!.exemplars).toEqual([]);
    expect(all.reduce((sum, point) => sum + point.value.count, 0)).toBe(5);
  });

  it('has nothing to collect before the first measurement', () => {
    expect(new DurationHistogram('m', 'd', BOUNDS, 3).collect(END)).toBeUndefined();
  });
});
