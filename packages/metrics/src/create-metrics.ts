import type { Meter, MeterOptions, MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import type { MeterProvider, MetricData, MetricReader, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Attributes, Diagnostics, ExitExport, ResolvedConfig } from '@threadline/core';
import { THREADLINE_VERSION, combineExportFailures, createFieldRedactor, exportStatsRegistry, guard, guardedLoad, millisToHrTime } from '@threadline/core';
import { DurationHistogram, DurationHistogramProducer } from './duration-histograms';
import { encodeJson, encodeProtobuf } from './otlp-encoding';
import { toOtlpModel } from './otlp-model';
import { OtlpMetricExporter } from './otlp-metric-exporter';
import { createPullReader, startPrometheusEndpoint } from './prometheus-endpoint';
import { DbDurationProcessor, recordHttpDurations } from './request-metrics';
import { createMessagingMetrics } from './messaging-metrics';
import { createSecretAttributesProcessor } from './secret-attributes';
import { recordRuntimeMetrics } from './runtime-metrics';
import { recordSelfMetrics } from './self-metrics';
import { DB_CLIENT_DURATION, DURATION_BUCKETS, HTTP_CLIENT_DURATION, HTTP_SERVER_DURATION } from './semantic-conventions';
import type { Metrics } from './types';

/** Runtime metrics start this long after start: a process that ends sooner never loads the SDK. */
const RUNTIME_METRICS_DELAY_MILLIS = 1000;

/**
 * The meter provider Threadline registers. The metrics SDK (~12 ms to load here) is loaded on
 * first use: the first HTTP request, the first instrument an app creates, or the runtime metrics
 * a second after start. Until then `@opentelemetry/api` gets a provider that loads it on demand.
 */
export function createMetrics(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics): Metrics {
  const limit = config.metrics.cardinalityLimit;
  // The redaction policy of spans and logs, for every metric attribute too.
  const redactor = createFieldRedactor(config.redactKeys);
  const server = new DurationHistogram(HTTP_SERVER_DURATION, 'Duration of HTTP server requests.', DURATION_BUCKETS, limit, redactor);
  const client = new DurationHistogram(HTTP_CLIENT_DURATION, 'Duration of HTTP client requests.', DURATION_BUCKETS, limit, redactor);
  const database = new DurationHistogram(DB_CLIENT_DURATION, 'Duration of database client operations.', DURATION_BUCKETS, limit, redactor);
  // onRecord is declared below; it runs only once a message was measured.
  const messaging = createMessagingMetrics(limit, redactor, () => onRecord());
  const scope = { name: '@threadline/metrics', version: THREADLINE_VERSION };
  const otlpExporters: OtlpMetricExporter[] = [];
  let provider: MeterProvider | undefined;
  let pullReader: MetricReader | undefined;
  const prometheus = config.metrics.exporters.includes('prometheus')
    ? startPrometheusEndpoint({
        ...config.metrics.prometheus,
        diagnostics,
        reader: () => {
          load();
          if (!pullReader) throw new Error('the metrics SDK did not load');
          return pullReader;
        },
      })
    : undefined;
  let serviceMeter: Meter | undefined;
  let stopRuntime: (() => void) | undefined;
  let isShutdown = false;
  // Measurements (and meters handed out) so far, and how many of them a finished flush covered.
  // A flush counts as covering only once it has ended: a process that exits while a flush is
  // still sending (an app's SIGTERM handler calling process.exit) sends them again at exit.
  let recorded = 0;
  let flushedUpTo = 0;

  let failedToLoad = false;
  /** The SDK's provider, loaded on first use; undefined (metrics off, said once) if it cannot load. */
  const load = (): MeterProvider | undefined => {
    if (provider || failedToLoad) return provider;
    provider = guardedLoad(diagnostics, 'loading the metrics SDK', createProvider);
    if (!provider) failedToLoad = true;
    recorded++;
    return provider;
  };
  const createProvider = (): MeterProvider => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const sdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    const resource = resourceFromAttributes(resourceAttributes);
    const producer = new DurationHistogramProducer([server, client, database, ...messaging.metrics], scope, resource);
    const readers: MetricReader[] = config.metrics.exporters.filter((name) => name !== 'prometheus').map((name) => {
      let exporter: PushMetricExporter;
      if (name === 'console') exporter = new sdk.ConsoleMetricExporter();
      else {
        const otlp = new OtlpMetricExporter(config.metrics);
        otlpExporters.push(otlp);
        exporter = otlp;
      }
      return new sdk.PeriodicExportingMetricReader({
        exporter,
        exportIntervalMillis: config.metrics.intervalMillis,
        exportTimeoutMillis: Math.min(config.metrics.collectTimeoutMillis, config.metrics.intervalMillis),
        cardinalityLimits: { default: limit },
        metricProducers: [producer],
      });
    });
    // One view for every instrument, so that each measurement's secret-looking attributes are
    // masked before it is aggregated (a masked value makes no series of its own). A view's
    // storage takes its series limit from the view, not the reader. (instrumentation-pg's own
    // db.client.operation.duration, which ours covers, is never created: see db-instrumentations.ts.)
    const views = [{ instrumentName: '*', attributesProcessors: [createSecretAttributesProcessor(redactor)], aggregationCardinalityLimit: limit }];
    if (prometheus) readers.push((pullReader = createPullReader(sdk, [producer], limit)));
    return new sdk.MeterProvider({ resource, readers, views });
  };
  const meterOf = (name: string, version?: string, options?: MeterOptions): Meter => load()?.getMeter(name, version, options) ?? createNoopMeter();
  const getMeter = (): Meter => {
    recorded++;
    return (serviceMeter ??= meterOf(scope.name, scope.version));
  };
  /** A request or operation was measured: the SDK's readers (which collect it) must exist. */
  const onRecord = (): void => {
    if (!provider) load();
    recorded++;
  };

  const onDemand: ApiMeterProvider = { getMeter: meterOf };
  if (!metrics.setGlobalMeterProvider(onDemand)) {
    diagnostics.warn('another meter provider was registered before Threadline started; metrics created through @opentelemetry/api go to it');
  }

  const stopHttp = recordHttpDurations(server, client, onRecord, diagnostics);
  // Runtime metrics when asked for, and the export queues' own `otel.sdk.*` metrics whenever
  // there is a queue to report on (spans or logs exported over OTLP/HTTP protobuf).
  const hasSelfMetrics = (): boolean => config.metrics.exporters.length > 0 && exportStatsRegistry().length > 0;
  const startRuntimeMetrics = guard(diagnostics, 'starting runtime metrics', () => {
    if (isShutdown) return;
    if (config.metrics.runtime) stopRuntime = recordRuntimeMetrics(getMeter());
    if (hasSelfMetrics()) recordSelfMetrics(getMeter());
  });
  const runtimeTimer = setTimeout(startRuntimeMetrics, RUNTIME_METRICS_DELAY_MILLIS).unref();

  /**
   * At the exit event the SDK's collection (asynchronous) cannot run; Threadline's own duration
   * histograms are collected and encoded synchronously instead. They are cumulative, so this
   * one request carries every request and operation measured since start.
   */
  const takeForExit = (): ExitExport[] => {
    if (recorded === flushedUpTo || isShutdown || !config.metrics.exporters.includes('otlp')) return [];
    flushedUpTo = recorded;
    const endTime = millisToHrTime(Date.now());
    const collected = [server, client, database].map((histogram) => histogram.collect(endTime)).filter((metric): metric is MetricData => metric !== undefined);
    if (collected.length === 0) return [];
    const model = toOtlpModel({ resource: { attributes: resourceAttributes }, scopeMetrics: [{ scope, metrics: collected }] } as unknown as ResourceMetrics);
    const body = config.metrics.protocol === 'http/json' ? encodeJson(model) : encodeProtobuf(model);
    const count = collected.reduce((points, metric) => points + metric.dataPoints.length, 0);
    return [{ what: 'metric points', count, body, export: config.metrics }];
  };

  return {
    takeForExit,
    getMeter: (name = '@threadline/app') => meterOf(name),
    spanProcessor: new DbDurationProcessor(database, onRecord),
    hasPendingWork: () => recorded !== flushedUpTo,
    exportFailures: () => combineExportFailures(otlpExporters),
    forceFlush: () => {
      const upTo = recorded;
      // Settled either way: a collector that is down must not re-arm beforeExit forever.
      const covered = (): void => {
        flushedUpTo = Math.max(flushedUpTo, upTo);
      };
      return (provider?.forceFlush() ?? Promise.resolve()).then(covered, (error: unknown) => {
        covered();
        throw error;
      });
    },
    shutdown: () => {
      isShutdown = true;
      clearTimeout(runtimeTimer);
      stopHttp();
      messaging.stop();
      stopRuntime?.();
      return Promise.all([provider?.shutdown(), prometheus?.close()]).then(() => undefined);
    },
  };
}
