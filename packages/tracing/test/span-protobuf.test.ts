import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeProtobuf } from '@threadline/testing';
import { ProtobufWriter } from '@threadline/core';
import { SpanBatch, writeSpan } from '../src/span-protobuf';

/** Spans of every shape the SDK produces, from two resources and three scopes. */
function endedSpans(): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const collect: SpanProcessor = { onStart: () => {}, onEnd: (span) => ended.push(span), forceFlush: async () => {}, shutdown: async () => {} };
  const providers = [
    new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'orders', 'service.instance.id': 'é-1', 'process.pid': 4242 }),
      spanLimits: { attributeCountLimit: 12, attributeValueLengthLimit: 300 },
      spanProcessors: [collect],
    }),
    new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'inventory' }), spanProcessors: [collect] }),
  ];
  const remoteParent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=a,other=b'),
  });
  const server = providers[0]!.getTracer('@threadline/tracing', '1.2.3');
  const root = server.startSpan('GET /orders/:id', {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      'server.port': 65_535,
      negative: -42,
      huge: 2 ** 60,
      ratio: 0.125,
      ok: false,
      names: ['a', 'ü', ''],
      numbers: [1, 2.5, -3],
      long: 'x'.repeat(1000),
      emoji: '😀 done',
      empty: '',
      over1: 'dropped',
      over2: 'dropped',
    },
  }, remoteParent);
  root.addEvent('exception', { 'exception.type': 'TypeError', 'exception.message': 'boom' });
  root.addEvent('plain');
  root.addLink({ context: { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 0, traceState: new TraceState('k=v') }, attributes: { reason: 'retry' } });
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'response not completed' });
  const child = server.startSpan('SELECT test', { kind: SpanKind.CLIENT, attributes: { 'db.query.text': 'SELECT $1' } }, trace.setSpan(ROOT_CONTEXT, root));
  child.setStatus({ code: SpanStatusCode.OK });
  child.end();
  root.end();
  providers[0]!.getTracer('pg', '0.76.0').startSpan('connect', { kind: SpanKind.INTERNAL }).end();
  for (let index = 0; index < 600; index++) {
    providers[1]!.getTracer('app').startSpan(`work ${index}`, { kind: SpanKind.PRODUCER, attributes: { index, note: 'y'.repeat(index % 200) } }).end();
  }
  return ended;
}

/** Decoded request, with default-valued fields (which an encoder may leave out) removed. */
function decoded(body: Uint8Array): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).map(([key, item]) => [key, strip(item)] as const);
      return Object.fromEntries(entries.filter(([, item]) => !(item === 0 || item === '0' || item === '' || (Array.isArray(item) && item.length === 0))));
    }
    return value;
  };
  return strip(decodeProtobuf('traces', body));
}

describe('span protobuf encoding', () => {
  it('decodes to exactly what the OpenTelemetry serializer encodes, for every span shape', () => {
    const spans = endedSpans();
    const batch = new SpanBatch();
    for (const span of spans) batch.add(span);
    expect(batch.count).toBe(spans.length);
    const ours = batch.seal();
    const reference = ProtobufTraceSerializer.serializeRequest(spans)!;
    expect(decoded(ours)).toEqual(decoded(reference));
    // And the checks above are not vacuous: IDs, times and attributes arrived.
    const request = decodeProtobuf('traces', ours) as { resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    const received = request.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans));
    expect(received.find((span) => span.name === 'GET /orders/:id')).toMatchObject({ traceId: '0af7651916cd43dd8448eb211c80319c', traceState: 'vendor=a,other=b', parentSpanId: 'b7ad6b7169203331' });
    expect(received).toHaveLength(spans.length);
  });

  it('writes span flags: the trace flags and whether the parent is remote', () => {
    // The decoder the receiver uses predates the flags field (16, fixed32), so read its bytes:
    // writeSpan writes it last, as tag 0x85 0x01 and four little-endian bytes.
    const flagsOf = (span: ReadableSpan) => {
      const bytes = Buffer.from(new ProtobufWriter().message(1, (writer) => writeSpan(writer, 2, span)).finish());
      expect([...bytes.subarray(-6, -4)]).toEqual([0x85, 0x01]);
      return bytes.readUInt32LE(bytes.length - 4);
    };
    const spans = endedSpans();
    expect(flagsOf(spans.find((span) => span.name === 'GET /orders/:id')!)).toBe(0x301);
    expect(flagsOf(spans.find((span) => span.name === 'SELECT test')!)).toBe(0x101);
  });

  it('keeps a batch whole when one span fails to encode', () => {
    const [good, other] = endedSpans();
    const broken = { ...good!, name: undefined as unknown as string, spanContext: good!.spanContext };
    const batch = new SpanBatch();
    batch.add(good!);
    expect(() => batch.add(broken)).toThrow();
    batch.add(other!);
    expect(batch.count).toBe(2);
    expect(decoded(batch.seal())).toEqual(decoded(ProtobufTraceSerializer.serializeRequest([good!, other!])!));
  });
});
