import { findFailureOrigin, summarizeTrace } from '../src';
import type { StoredSpan } from '../src';

const span = (spanId: string, parentSpanId: string, service: string, kind: number, overrides: Partial<StoredSpan> = {}): StoredSpan => ({
  traceId: 'e'.repeat(32), spanId, parentSpanId, name: `${service} ${spanId}`, kind, service, version: '1.0.0',
  startMillis: Number(spanId), durationMillis: 10, status: 'unset', statusMessage: '', attributes: {}, events: [],
  ...overrides,
});

describe('trace summaries', () => {
  it('blames the deepest failing span', () => {
    const spans = [
      span('1', '', 'gateway', 2, { status: 'error', attributes: { 'http.route': '/checkout', 'http.response.status_code': 502, 'request.id': 'r1', accountType: 'pro' } }),
      span('2', '1', 'gateway', 3, { status: 'error' }),
      span('3', '2', 'orders', 2, { status: 'error', attributes: { 'feature_flag.new-pricing': true, 'http.route': '/orders' } }),
      span('4', '3', 'orders', 3, { status: 'error', statusMessage: 'relation "x" does not exist' }),
    ];
    expect(findFailureOrigin(spans)?.spanId).toBe('4');
    expect(summarizeTrace(spans)).toMatchObject({
      service: 'gateway', route: '/checkout', statusCode: 502, status: 'error', requestId: 'r1',
      services: ['gateway', 'orders'], tags: { accountType: 'pro', 'feature_flag.new-pricing': true },
      failure: { service: 'orders', spanId: '4', message: 'relation "x" does not exist' },
    });
  });

  it("blames the callee when a caller's client span failed (a timeout) and the callee's span did not", () => {
    const spans = [
      span('1', '', 'orders', 2, { status: 'error' }),
      span('2', '1', 'orders', 3, { status: 'error', statusMessage: 'timeout' }),
      span('3', '2', 'pricing', 2),
    ];
    expect(findFailureOrigin(spans)?.service).toBe('pricing');
  });

  it('summarizes a trace without errors as ok, rooted at a span whose parent never arrived', () => {
    const spans = [span('5', '4', 'pricing', 2), span('6', '5', 'pricing', 3)];
    expect(summarizeTrace(spans)).toMatchObject({ status: 'ok', failure: null, service: 'pricing', spanCount: 2, durationMillis: 11 });
  });
});
