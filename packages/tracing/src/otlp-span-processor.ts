import { ROOT_CONTEXT, TraceFlags, context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { BatchLimits, Diagnostics, ExitExport, SignalExportConfig } from '@threadline/core';
import { BatchingOtlpExporter } from '@threadline/core';
import { SpanBatch } from './span-protobuf';

const UNTRACED = suppressTracing(ROOT_CONTEXT);

/**
 * OTLP/HTTP protobuf span export with Threadline's encoder: each sampled span is encoded as it
 * ends and only its bytes wait for export (OTEL_BSP_* batching). Export requests are untraced.
 */
export class OtlpProtobufSpanProcessor implements SpanProcessor {
  private readonly exporter: BatchingOtlpExporter<ReadableSpan>;

  constructor(
    private readonly config: SignalExportConfig,
    batching: BatchLimits,
    diagnostics: Diagnostics,
  ) {
    this.exporter = new BatchingOtlpExporter({
      what: 'spans',
      queueSizeVariable: 'OTEL_BSP_MAX_QUEUE_SIZE',
      export: config,
      limits: batching,
      diagnostics,
      newBatch: () => new SpanBatch(),
      detached: (run) => context.with(UNTRACED, run),
    });
  }

  get failedExports(): number {
    return this.exporter.failedExports;
  }

  get droppedSpans(): number {
    return this.exporter.dropped;
  }

  get lastError(): string | undefined {
    return this.exporter.lastError;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) this.exporter.offer(span);
  }

  /** At the exit event: the spans not delivered yet, encoded (see SignalLifecycle.takeForExit). */
  takeForExit(): ExitExport[] {
    return this.exporter.takeUndelivered().map(({ body, count }) => ({ what: 'spans', count, body, export: this.config }));
  }

  forceFlush(): Promise<void> {
    return this.exporter.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }
}
