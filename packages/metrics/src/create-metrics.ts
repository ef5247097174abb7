import type { Meter, MeterOptions, MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { createNoopMeter, metrics } from '@opentelemetry/api';
import type { MeterProvider, MetricData, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Attributes, Diagnostics, ExitExport, ResolvedConfig } from '@threadline/core';
import { THREADLINE_VERSION, combineExportFailures, guard, guardedLoad, millisToHrTime } from '@threadline/core';
import { DurationHistogram, DurationHistogramProducer } from './duration-histograms';
import { encodeJson, encodeProtobuf } from './otlp-encoding';
import { toOtlpModel } from './otlp-model';
import { OtlpMetricExporter } from './otlp-metric-exporter';
import { DbDurationProcessor, recordHttpDurations } from './request-metrics';
import { recordRuntimeMetrics } from './runtime-metrics';
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
  const server = new DurationHistogram(HTTP_SERVER_DURATION, 'Duration of HTTP server requests.', DURATION_BUCKETS, limit);
  const client = new DurationHistogram(HTTP_CLIENT_DURATION, 'Duration of HTTP client requests.', DURATION_BUCKETS, limit);
  const database = new DurationHistogram(DB_CLIENT_DURATION, 'Duration of database client operations.', DURATION_BUCKETS, limit);
  const scope = { name: '@threadline/metrics', version: THREADLINE_VERSION };
  const otlpExporters: OtlpMetricExporter[] = [];
  let provider: MeterProvider | undefined;
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
    const producer = new DurationHistogramProducer([server, client, database], scope, resource);
    const readers = config.metrics.exporters.map((name) => {
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
    // instrumentation-pg records db.client.operation.duration too, without exemplars; ours
    // covers every client, so its copy is dropped rather than counted twice (its pool metrics stay).
    const views = [{ instrumentName: DB_CLIENT_DURATION, meterName: '@opentelemetry/instrumentation-pg', aggregation: { type: sdk.AggregationType.DROP } }];
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
  const startRuntimeMetrics = guard(diagnostics, 'starting runtime metrics', () => {
    if (!isShutdown) stopRuntime = recordRuntimeMetrics(getMeter());
  });
  const runtimeTimer = config.metrics.runtime ? setTimeout(startRuntimeMetrics, RUNTIME_METRICS_DELAY_MILLIS).unref() : undefined;

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
      if (runtimeTimer) clearTimeout(runtimeTimer);
      stopHttp();
      stopRuntime?.();
      return provider?.shutdown() ?? Promise.resolve();
    },
  };
}
