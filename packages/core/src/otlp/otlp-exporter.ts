import type { SignalExportConfig } from '../types';
import { createSignalTransport } from './retrying-transport';

/** A timeout of 0 means no limit; timers cannot go past 2^31-1 ms. */
const MAX_TIMER_MILLIS = 2_147_483_647;

export type OtlpSignal = 'traces' | 'logs';

interface ExportResult {
  code: number;
  error?: Error;
}

interface Exporter<Item> {
  export(items: Item[], resultCallback: (result: ExportResult) => void): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The serializer and metrics helper `@opentelemetry/otlp-transformer` has for each signal. */
const SIGNAL_PARTS: Record<OtlpSignal, { protobuf: string; json: string; helper: string; component: string }> = {
  traces: { protobuf: 'ProtobufTraceSerializer', json: 'JsonTraceSerializer', helper: 'TraceExporterMetricsHelper', component: 'span' },
  logs: { protobuf: 'ProtobufLogsSerializer', json: 'JsonLogsSerializer', helper: 'LogsExporterMetricsHelper', component: 'log' },
};

/**
 * An OTLP/HTTP exporter (protobuf or JSON) made of OpenTelemetry's export delegate and
 * serializers with Threadline's transport (unref'd retries, Retry-After dates, bounded
 * responses). The exporter packages cost ~80 ms to load here, so they load on the first
 * export, not at start. It also counts failed exports, so a flush can report `failed`.
 */
export class OtlpExporter<Item> implements Exporter<Item> {
  private delegate: Exporter<Item> | undefined;
  private isShutdown = false;
  failedExports = 0;
  lastError: string | undefined;

  constructor(
    private readonly signal: OtlpSignal,
    private readonly config: SignalExportConfig,
  ) {}

  export(items: Item[], resultCallback: (result: ExportResult) => void): void {
    if (this.isShutdown) {
      resultCallback({ code: 1, error: new Error('exporter is shut down') });
      return;
    }
    try {
      this.delegate ??= this.load();
    } catch (error) {
      this.recordFailure(error instanceof Error ? error : new Error(String(error)));
      resultCallback({ code: 1, error: error instanceof Error ? error : new Error(String(error)) });
      return;
    }
    this.delegate.export(items, (result) => {
      if (result.code !== 0) this.recordFailure(result.error);
      resultCallback(result);
    });
  }

  forceFlush(): Promise<void> {
    return this.delegate?.forceFlush() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    return this.delegate?.shutdown() ?? Promise.resolve();
  }

  private recordFailure(error: Error | undefined): void {
    this.failedExports++;
    this.lastError = error?.message ?? 'export failed';
  }

  private load(): Exporter<Item> {
    /* eslint-disable @typescript-eslint/no-require-imports -- deferred on purpose, see class comment */
    const base = require('@opentelemetry/otlp-exporter-base') as typeof import('@opentelemetry/otlp-exporter-base');
    const nodeHttp = require('@opentelemetry/otlp-exporter-base/node-http') as typeof import('@opentelemetry/otlp-exporter-base/node-http');
    const transformer = require('@opentelemetry/otlp-transformer') as Record<string, unknown>;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const parts = SIGNAL_PARTS[this.signal];
    const isJson = this.config.protocol === 'http/json';
    const transport = createSignalTransport(this.config);
    type Serializer = Parameters<typeof base.createOtlpNetworkExportDelegate>[1];
    type Helper = Parameters<typeof nodeHttp.createOtlpHttpExporterMetrics>[1];
    const metrics = nodeHttp.createOtlpHttpExporterMetrics(
      `otlp_http${isJson ? '_json' : ''}_${parts.component}_exporter`,
      transformer[parts.helper] as Helper,
      this.config.url,
      undefined,
    );
    const delegate = base.createOtlpNetworkExportDelegate(
      { timeoutMillis: this.config.timeoutMillis || MAX_TIMER_MILLIS, concurrencyLimit: 2, compression: this.config.compression },
      transformer[isJson ? parts.json : parts.protobuf] as Serializer,
      metrics,
      transport,
    );
    return new base.OTLPExporterBase<Item[]>(delegate) as unknown as Exporter<Item>;
  }
}
