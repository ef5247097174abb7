// Micro-benchmarks of the per-request primitives, in-process, nanoseconds per operation.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function nanosPerOperation(operation, iterations) {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) operation(i);
  const startedAt = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) operation(i);
  return Number(process.hrtime.bigint() - startedAt) / iterations;
}

function median(values) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export function runMicroBenchmarks(quick) {
  const scale = quick ? 0.2 : 1;
  const { context, trace } = require('@opentelemetry/api');
  const core = require('@threadline/core');
  const { SpanBatch, createTracing } = require('@threadline/tracing');
  const { DURATION_BUCKETS, DurationHistogram, HTTP_SERVER_DURATION } = require('@threadline/metrics');
  const { createLogger } = require('@threadline/log-correlation');
  const pino = require('pino');
  const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');
  const { ProtobufTraceSerializer } = require('@opentelemetry/otlp-transformer');

  const { config } = core.resolveConfig({ serviceName: 'bench', tracesExporter: ['none'], logsExporter: ['none'], enabledInstrumentations: ['express'] }, {});
  const tracing = createTracing(config, core.createResourceAttributes(config), core.createDiagnostics('none'));
  const tracer = tracing.provider.getTracer('bench');
  const results = {};

  results['span start + end'] = nanosPerOperation(() => tracer.startSpan('GET /orders/:id', { attributes: { 'http.request.method': 'GET' } }).end(), 200_000 * scale);

  const nowhere = { write() {} };
  const plain = pino({}, nowhere);
  const correlated = createLogger({ service: 'bench', destination: nowhere });
  const span = tracer.startSpan('request');
  const request = core.createRequestContext('3f2a1c0e8b7d4e6f9a1b2c3d4e5f6a7b', span);
  const requestContext = core.withRequestContext(trace.setSpan(context.active(), span), request);
  // Alternated over several rounds, medians: the two lines are compared with each other.
  const plainRuns = [];
  const correlatedRuns = [];
  for (let round = 0; round < 7; round++) {
    plainRuns.push(nanosPerOperation(() => plain.info({ orderId: 42 }, 'order.priced'), 50_000 * scale));
    correlatedRuns.push(context.with(requestContext, () => nanosPerOperation(() => correlated.info('order.priced', { orderId: 42 }), 50_000 * scale)));
  }
  results['pino log line (plain)'] = median(plainRuns);
  results['Threadline log line (trace, span and request IDs)'] = median(correlatedRuns);

  // Threadline records request durations into its own histograms; app instruments use the SDK's.
  const attributes = { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'http.response.status_code': 200 };
  const durations = new DurationHistogram(HTTP_SERVER_DURATION, 'bench', DURATION_BUCKETS, 2000);
  results['histogram record (request duration)'] = nanosPerOperation((i) => durations.record((i % 100) / 1000, { ...attributes }), 500_000 * scale);
  // With a reader, so that the SDK keeps the measurements (without one it drops them).
  class KeepingReader extends MetricReader {
    onForceFlush() { return Promise.resolve(); }
    onShutdown() { return Promise.resolve(); }
  }
  const sdkHistogram = new MeterProvider({ readers: [new KeepingReader()] }).getMeter('bench').createHistogram('app.histogram', { unit: 's' });
  results['histogram record (metrics SDK, app instruments)'] = nanosPerOperation((i) => sdkHistogram.record((i % 100) / 1000, { ...attributes }), 500_000 * scale);

  const batch = [];
  const collector = { onStart() {}, onEnd: (ended) => batch.push(ended), forceFlush: async () => {}, shutdown: async () => {} };
  const { TracerProvider } = require('@opentelemetry/sdk-trace');
  const encodingTracer = new TracerProvider({ spanProcessors: [collector] }).getTracer('bench');
  for (let i = 0; i < 512; i++) {
    encodingTracer.startSpan('GET /orders/:id', { attributes: { ...attributes, 'url.path': `/orders/${i}`, 'request.id': '3f2a1c0e8b7d4e6f9a1b2c3d4e5f6a7b' } }).end();
  }
  const encodeBatch = () => {
    const encoded = new SpanBatch();
    for (const span of batch) encoded.add(span);
    return encoded.seal();
  };
  results['OTLP protobuf encoding, per span (batches of 512)'] = nanosPerOperation(encodeBatch, 200 * scale) / batch.length;
  results['same, with otlp-transformer (reference)'] = nanosPerOperation(() => ProtobufTraceSerializer.serializeRequest(batch), 200 * scale) / batch.length;
  void tracing.shutdown();
  return results;
}
