import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler, SamplingDecision, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { resolveConfig } from '@threadline/core';
import { RuleBasedSampler, compilePattern } from '../src/rule-sampler';

const rules = (text: string) => resolveConfig({}, { THREADLINE_SAMPLING_RULES: text }).config.samplingRules;
// TraceIdRatioBasedSampler XORs the ID's four 32-bit words: this one gives the highest value,
// sampled only at ratio 1; the next gives 1, sampled at any ratio above 0.
const TRACE_ID = 'ffffffff000000000000000000000000';
const LOW_TRACE_ID = '00000000000000000000000000000001';

function decide(sampler: RuleBasedSampler, method: string, path: string, options: { kind?: SpanKind; context?: Context; traceId?: string } = {}) {
  const attributes = { 'http.request.method': method, 'url.path': path };
  return sampler.shouldSample(options.context ?? ROOT_CONTEXT, options.traceId ?? TRACE_ID, method, options.kind ?? SpanKind.SERVER, attributes, []).decision;
}

describe('compilePattern', () => {
  it.each([
    ['*', '/anything/at/all', true],
    ['/health*', '/health', true],
    ['/health*', '/healthz/deep', true],
    ['/health*', '/status/health', false],
    ['/checkout', '/checkout', true],
    ['/checkout', '/checkout/x', false],
    ['/orders/:id', '/orders/42', true],
    ['/orders/:id', '/orders/42/items', false],
    ['/orders/:id', '/orders/', false],
    ['/orders/*/items', '/orders/7/items', true],
    ['/v1.0/a+b', '/v1x0/a+b', false],
    ['/v1.0/a+b', '/v1.0/a+b', true],
  ])('%s against %s: %s', (pattern, path, expected) => {
    expect(compilePattern(pattern)(path)).toBe(expected);
  });
});

describe('RuleBasedSampler', () => {
  const fallback = new ParentBasedSampler({ root: new AlwaysOnSampler() });

  it('the first matching rule decides an entry request; no match leaves it to the configured sampler', () => {
    const sampler = new RuleBasedSampler(rules('/health*=0,GET /orders/:id=0.5,/checkout=1,/orders/*=0'), fallback, true);
    expect(decide(sampler, 'GET', '/healthz')).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, 'POST', '/checkout')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    // GET /orders/42 takes the 0.5 rule: decided by the trace ID, as TraceIdRatioBasedSampler does.
    expect(decide(sampler, 'GET', '/orders/42', { traceId: LOW_TRACE_ID })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, 'GET', '/orders/42')).toBe(SamplingDecision.NOT_RECORD);
    // Another method skips that rule and falls to /orders/*=0.
    expect(decide(sampler, 'DELETE', '/orders/42', { traceId: LOW_TRACE_ID })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, 'GET', '/unmatched')).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    // The same answers from the per-path cache.
    expect(decide(sampler, 'GET', '/healthz')).toBe(SamplingDecision.NOT_RECORD);
  });

  it('leaves spans that are not entry requests, and requests that arrive with a parent, to a parent-based sampler', () => {
    const sampler = new RuleBasedSampler(rules('*=0'), fallback, true);
    expect(decide(sampler, 'GET', '/x', { kind: SpanKind.CLIENT })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'ffffffffffffffff', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(decide(sampler, 'GET', '/x', { context: remote })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(sampler, 'GET', '/x')).toBe(SamplingDecision.NOT_RECORD);
  });

  it('applies to requests with a remote parent when the configured sampler is not parent-based', () => {
    const sampler = new RuleBasedSampler(rules('/x=0'), new TraceIdRatioBasedSampler(1), false);
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'ffffffffffffffff', traceFlags: TraceFlags.SAMPLED, isRemote: true });
    expect(decide(sampler, 'GET', '/x', { context: remote })).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(sampler, 'GET', '/y', { context: remote })).toBe(SamplingDecision.RECORD_AND_SAMPLED);
  });
});
