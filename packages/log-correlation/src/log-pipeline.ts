import { context } from '@opentelemetry/api';
import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import type { LoggerProvider, LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { Attributes, Diagnostics, ResolvedConfig } from '@threadline/core';
import { OtlpExporter, REQUEST_ID_ATTRIBUTE, THREADLINE_VERSION, getRequestContext } from '@threadline/core';
import { SEVERITY_NUMBER } from './severity';
import type { LogRecordInput, LogSink } from './types';

/** What the bootstrap drives: the sink every logger writes to, and the lifecycle of its export. */
export interface LogPipeline {
  sink: LogSink;
  hasPendingWork(): boolean;
  exportFailures(): { count: number; lastError: string | undefined };
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * OTLP log export (per `OTEL_LOGS_EXPORTER`) through the logs SDK's batch processor. The SDK is
 * loaded on the first record, not at start. Each record carries the active span's IDs (the SDK
 * takes them from the context) and the request ID as the `request.id` attribute.
 */
export function createLogPipeline(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics): LogPipeline {
  const exporterNames = config.logs.exporters;
  let provider: LoggerProvider | undefined;
  let otelLogger: OtelLogger | undefined;
  let pending = 0;
  let failedToLoad = false;
  const otlpExporters: OtlpExporter<unknown>[] = [];

  const load = (): OtelLogger | undefined => {
    if (otelLogger || failedToLoad) return otelLogger;
    try {
      /* eslint-disable @typescript-eslint/no-require-imports -- loaded with the first record */
      const sdk = require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
      const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const processors = exporterNames.map((name) => {
        const exporter = name === 'console' ? new sdk.ConsoleLogRecordExporter() : createOtlpLogExporter(config, otlpExporters);
        return new sdk.BatchLogRecordProcessor({ exporter, ...batchOptions(config) });
      });
      provider = new sdk.LoggerProvider({
        resource: resourceFromAttributes(resourceAttributes),
        processors,
        logRecordLimits: { attributeValueLengthLimit: config.limits.attributeValueLengthLimit, attributeCountLimit: config.limits.attributeCountLimit },
      });
      otelLogger = provider.getLogger('@threadline/log-correlation', THREADLINE_VERSION);
    } catch (error) {
      failedToLoad = true;
      diagnostics.suppressed('could not start OTLP log export', error);
    }
    return otelLogger;
  };

  const sink: LogSink = {
    emit(record: LogRecordInput) {
      if (exporterNames.length === 0) return;
      const logger = load();
      if (!logger) return;
      const active = context.active();
      const attributes: Record<string, unknown> = {};
      const request = getRequestContext(active);
      if (request) {
        Object.assign(attributes, request.attributes);
        for (const [key, value] of Object.entries(request.featureFlags)) attributes[`feature_flag.${key}`] = value;
      }
      Object.assign(attributes, record.attributes);
      if (request) attributes[REQUEST_ID_ATTRIBUTE] = request.requestId;
      logger.emit({
        severityNumber: SEVERITY_NUMBER[record.level],
        severityText: record.level.toUpperCase(),
        body: record.body,
        attributes: attributes as never,
        context: active,
      });
      pending++;
    },
  };

  return {
    sink,
    hasPendingWork: () => pending > 0,
    exportFailures: () => ({
      count: otlpExporters.reduce((sum, exporter) => sum + exporter.failedExports, 0),
      lastError: otlpExporters.map((exporter) => exporter.lastError).find(Boolean),
    }),
    forceFlush: () => {
      pending = 0;
      return provider?.forceFlush() ?? Promise.resolve();
    },
    shutdown: () => {
      pending = 0;
      return provider?.shutdown() ?? Promise.resolve();
    },
  };
}

function createOtlpLogExporter(config: ResolvedConfig, registry: OtlpExporter<unknown>[]): LogRecordExporter {
  const exporter = new OtlpExporter<unknown>('logs', config.logs);
  registry.push(exporter);
  return exporter as unknown as LogRecordExporter;
}

function batchOptions(config: ResolvedConfig) {
  const batch = config.logs.batch;
  return {
    scheduledDelayMillis: batch.scheduleDelayMillis,
    maxQueueSize: batch.maxQueueSize,
    maxExportBatchSize: batch.maxExportBatchSize,
    exportTimeoutMillis: batch.exportTimeoutMillis,
  };
}
