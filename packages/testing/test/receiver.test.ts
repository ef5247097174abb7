import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OtlpSpanExporter } from '@threadline/tracing';
import type { OtlpReceiver } from '../src/receiver';
import { startOtlpReceiver } from '../src/receiver';

// Protobuf bodies for logs and metrics are built with the same compiled OTLP messages the
// receiver decodes with; traces come from the real exporter.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root');
const collector = root.opentelemetry.proto.collector;

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

function post(url: string, body: Uint8Array, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function finishedSpans(): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'receiver-test' }),
    spanProcessors: [{ onStart() {}, onEnd: (span: ReadableSpan) => spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const span = provider.getTracer('t').startSpan('decoded', { attributes: { text: 'x', count: 3, ratio: 0.5, ok: true, list: ['a', 'b'] } });
  span.addEvent('checkpoint', { step: 1 });
  span.end();
  return spans;
}

function exportSpans(exporter: OtlpSpanExporter, spans: ReadableSpan[]): Promise<number> {
  return new Promise((resolve) => exporter.export(spans, (result) => resolve(result.code)));
}

describe('OTLP receiver', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(() => receiver.stop());

  it.each([
    ['http/protobuf', 'none'],
    ['http/protobuf', 'gzip'],
    ['http/json', 'none'],
    ['http/json', 'gzip'],
  ] as const)('decodes spans sent as %s with compression %s', async (protocol, compression) => {
    const exporter = new OtlpSpanExporter({ url: `${receiver.url}/v1/traces`, headers: {}, protocol, compression, timeoutMillis: 5000 });
    const spans = finishedSpans();
    expect(await exportSpans(exporter, spans)).toBe(0);
    await exporter.shutdown();
    const [received] = receiver.spans();
    expect(received).toMatchObject({
      traceId: spans[0]!.spanContext().traceId,
      spanId: spans[0]!.spanContext().spanId,
      parentSpanId: '',
      name: 'decoded',
      kind: 1,
      attributes: { text: 'x', count: 3, ratio: 0.5, ok: true, list: ['a', 'b'] },
      events: [{ name: 'checkpoint', attributes: { step: 1 } }],
      resource: { 'service.name': 'receiver-test' },
      scope: { name: 't', version: '' },
    });
    expect(received!.endTimeUnixNano).toBeGreaterThanOrEqual(received!.startTimeUnixNano);
  });

  it('decodes log records in protobuf and JSON', async () => {
    const record = {
      timeUnixNano: 1_700_000_000_000_000_000n.toString(),
      severityNumber: 17,
      severityText: 'ERROR',
      body: { stringValue: 'order.processing.failed' },
      attributes: [{ key: 'request.id', value: { stringValue: 'req-1' } }],
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      flags: 1,
    };
    const json = { resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] }, scopeLogs: [{ scope: { name: 'log' }, logRecords: [record] }] }] };
    const LogsRequest = collector.logs.v1.ExportLogsServiceRequest;
    const protoObject = JSON.parse(JSON.stringify(json));
    const protoRecord = protoObject.resourceLogs[0].scopeLogs[0].logRecords[0];
    protoRecord.traceId = Buffer.from(TRACE_ID, 'hex');
    protoRecord.spanId = Buffer.from(SPAN_ID, 'hex');
    const protobuf = LogsRequest.encode(LogsRequest.fromObject(protoObject)).finish();

    expect(await post(`${receiver.url}/v1/logs`, protobuf, { 'content-type': 'application/x-protobuf' })).toBe(200);
    expect(await post(`${receiver.url}/v1/logs`, gzipSync(JSON.stringify(json)), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toBe(200);
    const records = receiver.logRecords();
    expect(records).toHaveLength(2);
    for (const received of records) {
      expect(received).toMatchObject({
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        flags: 1,
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'order.processing.failed',
        attributes: { 'request.id': 'req-1' },
        timeUnixNano: 1_700_000_000_000_000_000n,
        resource: { 'service.name': 'orders' },
      });
    }
  });

  it('decodes histogram metrics with exemplars', async () => {
    const json = {
      resourceMetrics: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] },
        scopeMetrics: [{
          scope: { name: 'http' },
          metrics: [{
            name: 'http.server.request.duration',
            unit: 's',
            histogram: {
              aggregationTemporality: 2,
              dataPoints: [{
                attributes: [{ key: 'http.route', value: { stringValue: '/orders/:id' } }],
                count: '2',
                sum: 0.3,
                bucketCounts: ['1', '1'],
                explicitBounds: [0.1],
                exemplars: [{ asDouble: 0.2, spanId: SPAN_ID, traceId: TRACE_ID, filteredAttributes: [{ key: 'request.id', value: { stringValue: 'req-9' } }] }],
              }],
            },
          }],
        }],
      }],
    };
    expect(await post(`${receiver.url}/v1/metrics`, Buffer.from(JSON.stringify(json)), { 'content-type': 'application/json' })).toBe(200);
    const MetricsRequest = collector.metrics.v1.ExportMetricsServiceRequest;
    const protoObject = JSON.parse(JSON.stringify(json));
    const exemplar = protoObject.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].exemplars[0];
    exemplar.traceId = Buffer.from(TRACE_ID, 'hex');
    exemplar.spanId = Buffer.from(SPAN_ID, 'hex');
    const protobuf = MetricsRequest.encode(MetricsRequest.fromObject(protoObject)).finish();
    expect(await post(`${receiver.url}/v1/metrics`, protobuf, { 'content-type': 'application/x-protobuf' })).toBe(200);

    const metrics = receiver.metrics();
    expect(metrics).toHaveLength(2);
    for (const metric of metrics) {
      expect(metric).toMatchObject({ name: 'http.server.request.duration', unit: 's', type: 'histogram', resource: { 'service.name': 'orders' } });
      const point = metric.dataPoints[0] as Record<string, unknown>;
      expect(point.attributes).toEqual({ 'http.route': '/orders/:id' });
      expect(String(point.count)).toBe('2');
      expect(point.exemplars).toEqual([expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID })]);
    }
  });

  it('answers 400 and records an error for a body it cannot decode', async () => {
    expect(await post(`${receiver.url}/v1/traces`, Buffer.from('not json'), { 'content-type': 'application/json' })).toBe(400);
    expect(await post(`${receiver.url}/v1/traces`, Buffer.from([0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' })).toBe(400);
    expect(receiver.errors).toHaveLength(2);
    expect(receiver.requests).toHaveLength(0);
  });

  it('answers with a chosen status and Retry-After for a limited number of requests', async () => {
    receiver.setFault({ status: 503, retryAfter: '2', times: 1 });
    const body = Buffer.from('{}');
    const first = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve) => {
      const req = request(`${receiver.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      });
      req.end(body);
    });
    expect(first).toEqual({ status: 503, retryAfter: '2' });
    expect(await post(`${receiver.url}/v1/traces`, body, { 'content-type': 'application/json' })).toBe(200);
    expect(receiver.requests.map((entry) => entry.fault?.status)).toEqual([503, undefined]);
  });

  it('can delay, hang and reset', async () => {
    const body = Buffer.from('{}');
    const headers = { 'content-type': 'application/json' };
    receiver.setFault({ delayMillis: 300, times: 1 });
    const startedAt = Date.now();
    expect(await post(`${receiver.url}/v1/traces`, body, headers)).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);

    receiver.setFault({ reset: true, times: 1 });
    await expect(post(`${receiver.url}/v1/traces`, body, headers)).rejects.toThrow(/socket hang up|ECONNRESET/);

    receiver.setFault({ hang: true, times: 1 });
    const hanging = post(`${receiver.url}/v1/traces`, body, headers);
    await receiver.waitForRequests(3);
    await receiver.stop();
    await expect(hanging).rejects.toThrow();
  });
});
