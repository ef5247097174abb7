import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { SignalExportConfig } from '@threadline/core';
import { createOtlpHttpTransport, createRetryingTransport } from '@threadline/core';

/** A timeout of 0 means no limit; timers cannot go past 2^31-1 ms. */
const MAX_TIMER_MILLIS = 2_147_483_647;

/**
 * OTLP/HTTP span exporter (protobuf or JSON) made of OpenTelemetry's export delegate and
 * serializers with Threadline's transport (unref'd retries, Retry-After dates, bounded
 * responses). The exporter packages cost ~80 ms to load here, so they load on the first
 * export, not at start.
 */
export class OtlpSpanExporter implements SpanExporter {
  private delegate: SpanExporter | undefined;
  private isShutdown = false;
  /** Failed exports so far and the last reason, so a flush can report `failed` instead of `ok`. */
  failedExports = 0;
  lastError: string | undefined;

  constructor(private readonly config: SignalExportConfig) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      resultCallback({ code: 1, error: new Error('exporter is shut down') });
      return;
    }
    try {
      this.delegate ??= this.load();
    } catch (error) {
      this.failedExports++;
      this.lastError = error instanceof Error ? error.message : String(error);
      resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    this.delegate.export(spans, (result) => {
      if (result.code !== 0) {
        this.failedExports++;
        this.lastError = result.error?.message ?? 'export failed';
      }
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.delegate?.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    return this.delegate?.shutdown() ?? Promise.resolve();
  }

  private load(): SpanExporter {
    /* eslint-disable @typescript-eslint/no-require-imports -- deferred on purpose, see class comment */
    const base = require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
    const nodeHttp = require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
    const transformer = require('@opentelemetry/otlp-transformer') as typeof import('@opentelemetry/otlp-transformer');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const isJson = this.config.protocol === 'http/json';
    const transport = createRetryingTransport(
      createOtlpHttpTransport({
        url: this.config.url,
        contentType: isJson ? 'application/json' : 'application/x-protobuf',
        headers: this.config.headers,
        compression: this.config.compression,
      }),
    );
    const serializer = isJson ? transformer.JsonTraceSerializer : transformer.ProtobufTraceSerializer;
    const metrics = nodeHttp.createOtlpHttpExporterMetrics(
      isJson ? 'otlp_http_json_span_exporter' : 'otlp_http_span_exporter',
      transformer.TraceExporterMetricsHelper,
      this.config.url,
      undefined,
    );
    const delegate = base.createOtlpNetworkExportDelegate(
      { timeoutMillis: this.config.timeoutMillis || MAX_TIMER_MILLIS, concurrencyLimit: 2, compression: this.config.compression },
      serializer,
      metrics,
      transport,
    );
    return new base.OTLPExporterBase<ReadableSpan[]>(delegate);
  }
}
