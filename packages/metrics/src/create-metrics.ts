import type { Meter, MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import type { MeterProvider, MetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { Attributes, Diagnostics, ResolvedConfig } from '@threadline/core';
import { THREADLINE_VERSION, combineExportFailures } from '@threadline/core';
import { DurationHistogram, DurationHistogramProducer } from './duration-histograms';
import { OtlpMetricExporter } from './otlp-metric-exporter';
import { createPullReader, startPrometheusEndpoint } from './prometheus-endpoint';
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
  let pullReader: MetricReader | undefined;
  const prometheus = config.metrics.exporters.includes('prometheus')
    ? startPrometheusEndpoint({
        ...config.metrics.prometheus,
        diagnostics,
        reader: () => {
          load();
          return pullReader!;
        },
      })
    : undefined;
  let serviceMeter: Meter | undefined;
  let stopRuntime: (() => void) | undefined;
  let isShutdown = false;
  let dirty = false;

  const load = (): MeterProvider => {
    if (provider) return provider;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
    const sdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
    const resource = resourceFromAttributes(resourceAttributes);
    const producer = new DurationHistogramProducer([server, client, database], scope, resource);
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
    // instrumentation-pg records db.client.operation.duration too, without exemplars; ours
    // covers every client, so its copy is dropped rather than counted twice (its pool metrics stay).
    const views = [{ instrumentName: DB_CLIENT_DURATION, meterName: '@opentelemetry/instrumentation-pg', aggregation: { type: sdk.AggregationType.DROP } }];
    if (prometheus) readers.push((pullReader = createPullReader(sdk, [producer], limit)));
    provider = new sdk.MeterProvider({ resource, readers, views });
    dirty = true;
    return provider;
  };
  const getMeter = (): Meter => {
    dirty = true;
    return (serviceMeter ??= load().getMeter(scope.name, scope.version));
  };
  /** A request or operation was measured: the SDK's readers (which collect it) must exist. */
  const onRecord = (): void => {
    if (!provider) load();
    dirty = true;
  };

  const onDemand: ApiMeterProvider = { getMeter: (name, version, options) => load().getMeter(name, version, options) };
  if (!metrics.setGlobalMeterProvider(onDemand)) {
    diagnostics.warn('another meter provider was registered before Threadline started; metrics created through @opentelemetry/api go to it');
  }

  const stopHttp = recordHttpDurations(server, client, onRecord);
  const runtimeTimer = config.metrics.runtime
    ? setTimeout(() => {
        if (!isShutdown) stopRuntime = recordRuntimeMetrics(getMeter());
      }, RUNTIME_METRICS_DELAY_MILLIS).unref()
    : undefined;

  return {
    getMeter: (name = '@threadline/app') => load().getMeter(name),
    spanProcessor: new DbDurationProcessor(database, onRecord),
    hasPendingWork: () => dirty,
    exportFailures: () => combineExportFailures(otlpExporters),
    forceFlush: () => {
      dirty = false;
      return provider?.forceFlush() ?? Promise.resolve();
    },
    shutdown: () => {
      isShutdown = true;
      if (runtimeTimer) clearTimeout(runtimeTimer);
      stopHttp();
      stopRuntime?.();
      return Promise.all([provider?.shutdown(), prometheus?.close()]).then(() => undefined);
    },
  };
}
