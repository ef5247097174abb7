import { ROOT_CONTEXT, TraceFlags, context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Diagnostics, ExporterTransport, ResolvedConfig, SignalExportConfig } from '@threadline/core';
import { createOtlpHttpTransport, createRetryingTransport, describeError } from '@threadline/core';
import { SpanBatch } from './span-protobuf';

type BatchConfig = ResolvedConfig['batch'];

/** Export requests under way at once; sealed batches beyond them wait (within the queue limit). */
const MAX_CONCURRENT_EXPORTS = 2;
const QUEUE_FULL = new Error('the span export queue is full (OTEL_BSP_MAX_QUEUE_SIZE); spans were dropped');

/**
 * OTLP/HTTP protobuf span export that encodes each sampled span as it ends and batches the
 * bytes (the OTEL_BSP_* batch, queue, delay and timeout semantics of the SDK's batch processor).
 * Export requests run without tracing, outside any request's context.
 */
export class OtlpProtobufSpanProcessor implements SpanProcessor {
  private batch = new SpanBatch();
  private readonly waiting: { body: Uint8Array; spans: number }[] = [];
  private waitingSpans = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private transport: ExporterTransport | undefined;
  private isShutdown = false;
  private readonly timeoutMillis: number;
  failedExports = 0;
  droppedSpans = 0;
  lastError: string | undefined;

  constructor(
    private readonly config: SignalExportConfig,
    private readonly batching: BatchConfig,
    private readonly diagnostics: Diagnostics,
  ) {
    const limits = [config.timeoutMillis, batching.exportTimeoutMillis].filter((millis) => millis > 0);
    this.timeoutMillis = limits.length > 0 ? Math.min(...limits) : 0;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.isShutdown || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.batch.count + this.waitingSpans >= this.batching.maxQueueSize) {
      this.droppedSpans++;
      this.diagnostics.suppressed('span export queue full', QUEUE_FULL);
      return;
    }
    try {
      this.batch.add(span);
    } catch (error) {
      this.diagnostics.suppressed('span encoding failed', error);
      return;
    }
    if (this.batch.count >= this.batching.maxExportBatchSize) this.sealBatch();
    else this.timer ??= context.with(ROOT_CONTEXT, () => setTimeout(() => this.sealBatch(), this.batching.scheduleDelayMillis).unref());
  }

  async forceFlush(): Promise<void> {
    this.sealBatch();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }

  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    this.isShutdown = true;
    await this.forceFlush();
    this.transport?.shutdown();
  }

  private sealBatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.count === 0) return;
    const batch = this.batch;
    this.batch = new SpanBatch();
    try {
      this.waiting.push({ body: batch.seal(), spans: batch.count });
      this.waitingSpans += batch.count;
    } catch (error) {
      this.diagnostics.suppressed('span encoding failed', error);
      return;
    }
    this.sendWaiting();
  }

  private sendWaiting(): void {
    while (this.inFlight.size < MAX_CONCURRENT_EXPORTS && this.waiting.length > 0) {
      const { body, spans } = this.waiting.shift()!;
      this.waitingSpans -= spans;
      const sending: Promise<void> = context
        .with(suppressTracing(ROOT_CONTEXT), () => this.send(body))
        .finally(() => {
          this.inFlight.delete(sending);
          this.sendWaiting();
        });
      this.inFlight.add(sending);
    }
  }

  private async send(body: Uint8Array): Promise<void> {
    try {
      this.transport ??= createRetryingTransport(
        createOtlpHttpTransport({
          url: this.config.url,
          contentType: 'application/x-protobuf',
          headers: this.config.headers,
          compression: this.config.compression,
        }),
      );
      const response = await this.transport.send(body, this.timeoutMillis);
      if (response.status !== 'success') this.fail(response.error ?? new Error('span export failed'));
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failedExports++;
    this.lastError = describeError(error);
    this.diagnostics.suppressed('telemetry export failed', error);
  }
}
