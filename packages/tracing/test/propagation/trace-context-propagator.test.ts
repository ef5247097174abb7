import type { Context } from '@opentelemetry/api';
import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { AlwaysOnSampler, ParentBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { W3CTraceContextPropagator } from '../../src/propagation/trace-context-propagator';
import { parseTraceParent } from '../../src/propagation/traceparent';

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';
const propagator = new W3CTraceContextPropagator({ localTraceIdsAreRandom: true });
const tracer = new TracerProvider({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) }).getTracer('test');

function extract(headers: Record<string, string | string[]>): Context {
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** What a service sends on after receiving `headers`: a child span's traceparent and tracestate. */
function forward(headers: Record<string, string | string[]>): Record<string, string> {
  const parent = extract(headers);
  const span = tracer.startSpan('child', {}, parent);
  const out: Record<string, string> = {};
  propagator.inject(trace.setSpan(parent, span), out, defaultTextMapSetter);
  span.end();
  return out;
}

describe('traceparent (W3C Trace Context Level 2)', () => {
  it('accepts version 00 and keeps the sampled and random flags', () => {
    expect(parseTraceParent(`00-${TRACE_ID}-${PARENT_ID}-01`)).toEqual({ traceId: TRACE_ID, parentId: PARENT_ID, traceFlags: 1 });
    expect(parseTraceParent(`00-${TRACE_ID}-${PARENT_ID}-03`)?.traceFlags).toBe(3);
    // Bits this version does not define are not passed on.
    expect(parseTraceParent(`00-${TRACE_ID}-${PARENT_ID}-ff`)?.traceFlags).toBe(3);
  });

  it.each([
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['uppercase trace ID', `00-${TRACE_ID.replace('1', 'A')}-${PARENT_ID}-01`.replace('12345678901234567890123456789012', 'ABCDEF78901234567890123456789012')],
    ['uppercase flags', `00-${TRACE_ID}-${PARENT_ID}-0A`],
    ['uppercase version', `0A-${TRACE_ID}-${PARENT_ID}-01`],
    ['all-zero trace ID', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero parent ID', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version 00 with a trailing character', `00-${TRACE_ID}-${PARENT_ID}-01.`],
    ['version 00 with extra fields', `00-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`],
    ['a future version with extra data not after a dash', `cc-${TRACE_ID}-${PARENT_ID}-01.what-the-future-will-be-like`],
    ['a short version', `0-${TRACE_ID}-${PARENT_ID}-01`],
    ['a long version', `000-${TRACE_ID}-${PARENT_ID}-01`],
    ['a short trace ID', `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['a long trace ID', `00-${TRACE_ID}3-${PARENT_ID}-01`],
    ['a short parent ID', `00-${TRACE_ID}-${PARENT_ID.slice(1)}-01`],
    ['a long parent ID', `00-${TRACE_ID}-${PARENT_ID}7-01`],
    ['illegal characters in the trace ID', `00-.${TRACE_ID.slice(1)}-${PARENT_ID}-01`],
    ['illegal characters in the flags', `00-${TRACE_ID}-${PARENT_ID}-0.`],
    ['short flags', `00-${TRACE_ID}-${PARENT_ID}-1`],
    ['long flags', `00-${TRACE_ID}-${PARENT_ID}-001`],
    ['wrong separators', `00_${TRACE_ID}_${PARENT_ID}_01`],
    ['an empty value', ''],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceParent(header)).toBeUndefined();
    const out = forward({ traceparent: header, tracestate: 'foo=1' });
    expect(out.traceparent).not.toContain(TRACE_ID);
    // An invalid traceparent invalidates the tracestate with it.
    expect(out.tracestate).toBeUndefined();
  });

  it('accepts a future version, with or without extra fields after a dash', () => {
    expect(parseTraceParent(`cc-${TRACE_ID}-${PARENT_ID}-01`)?.traceId).toBe(TRACE_ID);
    expect(parseTraceParent(`cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`)?.traceId).toBe(TRACE_ID);
    // It is answered in the version this implementation speaks.
    expect(forward({ traceparent: `cc-${TRACE_ID}-${PARENT_ID}-01-extra` }).traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  });

  it('ignores whitespace around the value', () => {
    expect(parseTraceParent(`\t 00-${TRACE_ID}-${PARENT_ID}-01 \t`)?.traceId).toBe(TRACE_ID);
  });

  it('treats two traceparent headers, as lines or combined by Node, as invalid', () => {
    const header = `00-${TRACE_ID}-${PARENT_ID}-01`;
    expect(trace.getSpanContext(extract({ traceparent: [header, header] }))).toBeUndefined();
    expect(trace.getSpanContext(extract({ traceparent: `${header}, ${header}` }))).toBeUndefined();
    expect(trace.getSpanContext(extract({ traceparent: [header] }))?.traceId).toBe(TRACE_ID);
  });

  it('continues the trace with a new parent ID and the caller\'s sampled flag', () => {
    const sampled = forward({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` }).traceparent;
    expect(sampled).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(sampled?.split('-')[2]).not.toBe(PARENT_ID);
    expect(forward({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-00` }).traceparent).toMatch(/-00$/);
  });

  it('propagates the random flag, sampled or not, although the SDK drops it from child spans', () => {
    const parent = extract({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-02` });
    const child = tracer.startSpan('child', {}, parent);
    expect(child.spanContext().traceFlags & 2).toBe(0);
    expect(forward({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-02` }).traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-02$`));
    expect(forward({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-03` }).traceparent).toMatch(/-03$/);
  });

  it('sets the random flag on traces it starts only when its trace IDs are random', () => {
    expect(forward({}).traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
    const notRandom = new W3CTraceContextPropagator({ localTraceIdsAreRandom: false });
    const out: Record<string, string> = {};
    notRandom.inject(trace.setSpan(ROOT_CONTEXT, tracer.startSpan('root', {}, ROOT_CONTEXT)), out, defaultTextMapSetter);
    expect(out.traceparent).toMatch(/-01$/);
  });

  it('injects nothing for an invalid span context or while tracing is suppressed', () => {
    const out: Record<string, string> = {};
    propagator.inject(ROOT_CONTEXT, out, defaultTextMapSetter);
    const parent = extract({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` });
    propagator.inject(suppressTracing(parent), out, defaultTextMapSetter);
    expect(out).toEqual({});
    propagator.inject(parent, out, defaultTextMapSetter);
    expect(out.traceparent).toBe(`00-${TRACE_ID}-${PARENT_ID}-01`);
  });
});
