import { ROOT_CONTEXT, context, isSpanContextValid, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Logger as OtelLogger } from '@opentelemetry/api-logs';
import type { LoggerProvider, LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { Attributes, Diagnostics, RequestContext, ResolvedConfig, SignalLifecycle } from '@threadline/core';
import { BatchingOtlpExporter, OtlpExporter, combineExportFailures, REQUEST_ID_ATTRIBUTE, THREADLINE_VERSION, encodeResourceField, getRequestContext } from '@threadline/core';
import type { EncodableLogRecord } from './log-protobuf';
import { LogBatch } from './log-protobuf';
import { SEVERITY_NUMBER, SEVERITY_TEXT } from './severity';
import type { LogRecordInput, LogSink } from './types';

/** What the bootstrap drives: the sink every logger writes to, and the lifecycle of its export. */
export interface LogPipeline extends SignalLifecycle {
  sink: LogSink;
}

const SCOPE = { name: '@threadline/log-correlation', version: THREADLINE_VERSION };
const UNTRACED = suppressTracing(ROOT_CONTEXT);

/**
 * OTLP log export (per `OTEL_LOGS_EXPORTER`). OTLP/HTTP protobuf, the default, encodes each
 * record as it is emitted and batches the bytes (OTEL_BLRP_* batching); OTLP/JSON and the
 * console exporter go through the logs SDK's batch processor, loaded with the first record.
 * Each record carries the active span's IDs and the request ID as the `request.id` attribute,
 * written by the encoder after the record's own, so no merged copy is made for it.
 */
export function createLogPipeline(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics): LogPipeline {
  const direct = config.logs.exporters.includes('otlp') && config.logs.protocol !== 'http/json' ? createDirectExport(config, resourceAttributes, diagnostics) : undefined;
  const exporterNames = config.logs.exporters.filter((name) => !(direct && name === 'otlp'));
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
      otelLogger = provider.getLogger(SCOPE.name, SCOPE.version);
    } catch (error) {
      failedToLoad = true;
      diagnostics.suppressed('could not start OTLP log export', error);
    }
    return otelLogger;
  };

  const sink: LogSink = {
    emit(record: LogRecordInput) {
      if (!direct && exporterNames.length === 0) return;
      const active = context.active();
      const request = getRequestContext(active);
      pending++;
      const severityNumber = SEVERITY_NUMBER[record.level];
      const severityText = SEVERITY_TEXT[record.level];
      if (direct) {
        const spanContext = trace.getSpanContext(active);
        direct.offer({
          timeMillis: Date.now(),
          severityNumber,
          severityText,
          body: record.body,
          attributes: request && hasRequestFields(request) ? withRequestFields(request, record.attributes) : record.attributes,
          requestId: request?.requestId,
          spanContext: spanContext && isSpanContextValid(spanContext) ? spanContext : undefined,
        });
      }
      if (exporterNames.length === 0) return;
      const attributes = request ? withRequestFields(request, record.attributes) : { ...record.attributes };
      if (request) attributes[REQUEST_ID_ATTRIBUTE] = request.requestId;
      load()?.emit({
        severityNumber,
        severityText,
        body: record.body,
        attributes: attributes as never,
        context: active,
      });
    },
  };

  return {
    sink,
    hasPendingWork: () => pending > 0,
    exportFailures: () => combineExportFailures(direct ? [...otlpExporters, direct] : otlpExporters),
    takeForExit: () => (direct?.takeUndelivered() ?? []).map(({ body, count }) => ({ what: 'log records', count, body, export: config.logs })),
    forceFlush: async () => {
      pending = 0;
      await Promise.all([provider?.forceFlush(), direct?.forceFlush()]);
    },
    shutdown: async () => {
      pending = 0;
      await Promise.all([provider?.shutdown(), direct?.shutdown()]);
    },
  };
}

function hasRequestFields(request: RequestContext): boolean {
  for (const _key in request.attributes) return true;
  for (const _key in request.featureFlags) return true;
  return false;
}

/** A record's attributes under the request's attributes and feature flags (`feature_flag.<key>`), which the record's own override. */
function withRequestFields(request: RequestContext, own: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const attributes: Record<string, unknown> = { ...request.attributes };
  for (const key in request.featureFlags) attributes[`feature_flag.${key}`] = request.featureFlags[key];
  return Object.assign(attributes, own);
}

function createDirectExport(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics): BatchingOtlpExporter<EncodableLogRecord> {
  const resourceField = encodeResourceField(resourceAttributes);
  const limits = { attributeCountLimit: config.limits.attributeCountLimit, attributeValueLengthLimit: config.limits.attributeValueLengthLimit };
  return new BatchingOtlpExporter({
    what: 'log records',
    item: 'log',
    queueSizeVariable: 'OTEL_BLRP_MAX_QUEUE_SIZE',
    export: config.logs,
    limits: config.logs.batch,
    diagnostics,
    newBatch: () => new LogBatch(resourceField, SCOPE, limits),
    detached: (run) => context.with(UNTRACED, run),
  });
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
