import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExporterTransport, SignalExportConfig } from '@threadline/core';
import { createSignalTransport, describeError } from '@threadline/core';
import { encodeJson, encodeProtobuf } from './otlp-encoding';
import { toOtlpModel } from './otlp-model';

interface ExportResult {
  code: number;
  error?: Error;
}

/**
 * OTLP/HTTP metric export with exemplars: the SDK's collection converted to OTLP by Threadline
 * (its own encoders, since the 2.x serializer has no exemplars), sent over core's transport.
 */
export class OtlpMetricExporter implements PushMetricExporter {
  private transport: ExporterTransport | undefined;
  failedExports = 0;
  lastError: string | undefined;

  constructor(
    private readonly config: SignalExportConfig) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    let body: Uint8Array;
    try {
      const model = toOtlpModel(metrics);
      body = this.config.protocol === 'http/json' ? encodeJson(model) : encodeProtobuf(model);
    } catch (error) {
      this.fail(error, resultCallback);
      return;
    }
    this.transport ??= createSignalTransport(this.config);
    this.transport.send(body, this.config.timeoutMillis).then(
      (response) => {
        if (response.status === 'success') resultCallback({ code: 0 });
        else this.fail(response.error ?? new Error('metric export failed'), resultCallback);
      },
      (error: unknown) => this.fail(error, resultCallback),
    );
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.transport?.shutdown();
    return Promise.resolve();
  }

  private fail(error: unknown, resultCallback: (result: ExportResult) => void): void {
    this.failedExports++;
    this.lastError = describeError(error);
    resultCallback({ code: 1, error: error instanceof Error ? error : new Error(this.lastError) });
  }
}
