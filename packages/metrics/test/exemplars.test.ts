import { ExemplarStore } from '../src/exemplars';

const BOUNDS = [0.1, 1];
const span = (spanId: string) => ({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId, traceFlags: 1 });

describe('ExemplarStore', () => {
  it('keeps the last sampled measurement per bucket and series, with the request ID', () => {
    const store = new ExemplarStore(10);
    store.offer('m', { route: '/a', status: 200 }, BOUNDS, 0.05, span('0000000000000001'), 'req-1');
    store.offer('m', { route: '/a', status: 200 }, BOUNDS, 0.07, span('0000000000000002'), 'req-2');
    store.offer('m', { route: '/a', status: 200 }, BOUNDS, 5, span('0000000000000003'), undefined);
    const kept = store.exemplarsFor('m', { status: 200, route: '/a' });
    expect(kept.map((exemplar) => [exemplar.value, exemplar.spanId, exemplar.filteredAttributes])).toEqual([
      [0.07, '0000000000000002', { 'request.id': 'req-2' }],
      [5, '0000000000000003', {}],
    ]);
    expect(typeof kept[0]!.timeUnixNano).toBe('bigint');
  });

  it('keeps series apart and returns none for an unknown one', () => {
    const store = new ExemplarStore(10);
    store.offer('m', { route: '/a' }, BOUNDS, 0.5, span('0000000000000001'), 'r');
    expect(store.exemplarsFor('m', { route: '/b' })).toEqual([]);
    expect(store.exemplarsFor('other', { route: '/a' })).toEqual([]);
    expect(store.exemplarsFor('m', { route: '/a', extra: 1 })).toEqual([]);
  });

  it('stops adding series at the limit', () => {
    const store = new ExemplarStore(2);
    for (const route of ['/a', '/b', '/c']) store.offer('m', { route }, BOUNDS, 0.5, span('0000000000000001'), 'r');
    expect(store.exemplarsFor('m', { route: '/b' })).toHaveLength(1);
    expect(store.exemplarsFor('m', { route: '/c' })).toEqual([]);
  });
});
