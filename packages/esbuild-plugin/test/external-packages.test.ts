import { bundleMarkerFooter, createExternalMatcher } from '../src/index';

describe('createExternalMatcher', () => {
  it('keeps the instrumented packages, their subpaths, Threadline and OpenTelemetry external', () => {
    const { isExternal, keptExternal } = createExternalMatcher();
    for (const request of ['pg', 'pg/lib/client.js', 'pg-pool', 'mysql2/promise', 'ioredis', 'redis', '@redis/client', 'pino', 'winston', '@threadline/node/register', '@opentelemetry/api']) {
      expect(isExternal(request)).toBe(true);
    }
    for (const request of ['express', 'pgx', 'pino-pretty', '@redisx/client', './pg', '/abs/pg', 'node:http']) expect(isExternal(request)).toBe(false);
    expect(keptExternal).toEqual(['pg', 'mysql2', 'ioredis', 'redis', 'pino', 'winston']);
  });

  it('bundles what the bundle option names, with its companion packages', () => {
    const { isExternal, keptExternal } = createExternalMatcher(['pg', 'pino']);
    expect(['pg', 'pg-pool', 'pino'].map(isExternal)).toEqual([false, false, false]);
    expect(isExternal('ioredis')).toBe(true);
    expect(keptExternal).toEqual(['mysql2', 'ioredis', 'redis', 'winston']);
  });
});

describe('bundleMarkerFooter', () => {
  const key = Symbol.for('threadline.bundle');
  const holder = globalThis as unknown as Record<symbol, unknown>;
  afterEach(() => delete holder[key]);

  it('stores the marker for a later start(), or hands it to Threadline when it started first', () => {
    const marker = { bundler: 'esbuild' as const, external: ['pg'] };
    new Function(bundleMarkerFooter(marker))();
    expect(holder[key]).toEqual(marker);
    const received: unknown[] = [];
    holder[key] = (given: unknown) => received.push(given);
    new Function(bundleMarkerFooter(marker))();
    expect(received).toEqual([marker]);
  });
});
