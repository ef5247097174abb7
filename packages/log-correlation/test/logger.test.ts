import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createRequestContext, recordFeatureFlag, setRequestAttributes, withRequestContext } from '@threadline/core';
import { createLogger } from '../src/logger';
import type { LogRecordInput } from '../src/types';

describe('createLogger', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());

  function capture(level: 'info' | 'warn' = 'info') {
    const lines: Record<string, unknown>[] = [];
    const records: LogRecordInput[] = [];
    const logger = createLogger({
      service: 'orders',
      level,
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
      sink: { emit: (record) => records.push(record) },
    });
    return { logger, lines, records };
  }

  const inRequest = <T>(fn: () => T): T => {
    const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
    const request = createRequestContext('req-1', undefined);
    request.attributes.accountType = 'enterprise';
    return context.with(withRequestContext(trace.setSpan(ROOT_CONTEXT, span), request), fn);
  };

  it('writes one JSON line with the contract fields inside a request', () => {
    const { logger, lines, records } = capture();
    inRequest(() => logger.error('order.processing.failed', { orderId: 42, err: new TypeError('bad\ninput') }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      service: 'orders',
      event: 'order.processing.failed',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      trace_flags: '01',
      request_id: 'req-1',
      accountType: 'enterprise',
      orderId: 42,
      'error.type': 'TypeError',
      'error.message': 'bad\ninput',
    });
    expect(new Date(String(lines[0]!.timestamp)).toISOString()).toBe(lines[0]!.timestamp);
    expect(records).toEqual([{ level: 'error', body: 'order.processing.failed', attributes: expect.objectContaining({ orderId: 42, 'error.type': 'TypeError' }) }]);
    expect(records[0]!.attributes).not.toHaveProperty('trace_id');
  });

  it('renews the fields when the request gains attributes, and drops them outside the request', () => {
    const { logger, lines } = capture();
    inRequest(() => {
      logger.info('first');
      logger.info('second');
      setRequestAttributes({ userId: 'u-7' });
      logger.info('third');
      recordFeatureFlag('new-pricing', true);
      logger.info('fourth');
    });
    logger.info('after');
    expect(lines.map((line) => [line.event, line.userId, line.request_id])).toEqual([
      ['first', undefined, 'req-1'],
      ['second', undefined, 'req-1'],
      ['third', 'u-7', 'req-1'],
      ['fourth', 'u-7', 'req-1'],
      ['after', undefined, undefined],
    ]);
    expect(lines[3]!.feature_flags).toEqual({ 'new-pricing': true });
    expect(lines[2]).not.toHaveProperty('feature_flags');
  });

  it('writes no correlation fields outside a request, and drops spoofed ones', () => {
    const { logger, lines } = capture();
    logger.info('boot', { trace_id: 'spoofed', request_id: 'spoofed', level: 'fatal', port: 8080 });
    expect(lines[0]).toEqual({ level: 'info', timestamp: expect.any(String), service: 'orders', port: 8080, event: 'boot' });
  });

  it('keeps bindings on child loggers but never lets them replace correlation fields', () => {
    const { logger, lines, records } = capture();
    const child = logger.child({ component: 'billing', request_id: 'spoofed' });
    inRequest(() => child.warn('retrying'));
    expect(lines[0]).toMatchObject({ component: 'billing', request_id: 'req-1', level: 'warn' });
    expect(records[0]!.attributes).toEqual({ component: 'billing' });
  });

  it('drops lines below the level, without sending them anywhere', () => {
    const { logger, lines, records } = capture('warn');
    logger.info('chatty');
    logger.debug('chattier');
    expect(lines).toEqual([]);
    expect(records).toEqual([]);
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
  });
});
