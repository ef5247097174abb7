// One variant of benchmarks/export-cost.mjs: loads the export path, ends `spans` spans, flushes,
// and prints the time to its first acknowledged export and its CPU per span as JSON.
const [protocol, variant, url, count] = process.argv.slice(2);
const spans = Number(count);

const { TracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { resourceFromAttributes } = require('@opentelemetry/resources');
// From here to the first acknowledged export: loading the path (eagerly or on first export) and connecting.
const loadStart = performance.now();
let processor;
if (variant === 'threadline') {
  const { resolveConfig, createDiagnostics } = require('@threadline/core');
  const { OtlpProtobufSpanProcessor, OtlpSpanExporter } = require('@threadline/tracing');
  const config = resolveConfig({ protocol: protocol === 'json' ? 'http/json' : protocol === 'grpc' ? 'grpc' : 'http/protobuf', endpoint: url }, {}).config;
  const batch = { ...config.batch, scheduleDelayMillis: 200 };
  processor = protocol === 'json'
    ? new BatchSpanProcessor({ exporter: new OtlpSpanExporter(config.traces), ...batchOptions(batch) })
    : new OtlpProtobufSpanProcessor(config.traces, batch, createDiagnostics('error'));
} else {
  const exporter = protocol === 'grpc'
    ? new (require('@opentelemetry/exporter-trace-otlp-grpc').OTLPTraceExporter)({ url })
    : new (require('@opentelemetry/exporter-trace-otlp-http').OTLPTraceExporter)({ url: `${url}/v1/traces` });
  processor = new BatchSpanProcessor({ exporter, ...batchOptions({ scheduleDelayMillis: 200, maxQueueSize: 2048, maxExportBatchSize: 512, exportTimeoutMillis: 30000 }) });
}

function batchOptions(batch) {
  return { scheduledDelayMillis: batch.scheduleDelayMillis, maxQueueSize: batch.maxQueueSize, maxExportBatchSize: batch.maxExportBatchSize, exportTimeoutMillis: batch.exportTimeoutMillis };
}

const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'export-cost' }), spanProcessors: [processor] });
const tracer = provider.getTracer('export-cost');

process.on('unhandledRejection', (reason) => { process.stderr.write(require('node:util').inspect(reason, { depth: 4 }) + '\n'); process.exit(1); });
(async () => {
  // Warm up the export path (first export loads serializers and opens the connection).
  tracer.startSpan('warm-up').end();
  await provider.forceFlush();
  const loadMs = performance.now() - loadStart;
  const cpuStart = process.cpuUsage();
  // In chunks of one export batch each, flushed, so nothing is dropped and exports never overlap.
  for (let done = 0; done < spans; ) {
    for (let i = 0; i < 500 && done < spans; i++, done++) {
      const span = tracer.startSpan('GET /orders/:id', { kind: 1, attributes: { 'http.request.method': 'GET', 'http.route': '/orders/:id', 'http.response.status_code': 200, 'url.path': `/orders/${done}`, 'server.address': 'orders.internal' } });
      span.end();
    }
    await provider.forceFlush();
  }
  await provider.forceFlush();
  const cpu = process.cpuUsage(cpuStart);
  await provider.shutdown();
  process.stdout.write(JSON.stringify({ loadMs, cpuMicrosPerSpan: (cpu.user + cpu.system) / spans, rssMb: process.memoryUsage.rss() / 1048576 }));
})();
