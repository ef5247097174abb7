import { describeError } from '../diagnostics';
import type { Diagnostics } from '../diagnostics';
import type { BatchLimits, SignalExportConfig } from '../types';
import type { ExporterTransport } from './export-response';
import { createSignalTransport } from './retrying-transport';

/** Items encoded into one OTLP export request. */
export interface EncodedBatch<Item> {
  readonly count: number;
  /** Bytes encoded so far, counted against the queue's byte limit. */
  readonly byteLength: number;
  add(item: Item): void;
  /** The request body; the batch is not added to afterwards. */
  seal(): Uint8Array;
}

export interface BatchingExporterOptions<Item> {
  /** What is exported, for messages: `spans`, `log records`. */
  what: string;
  /** The environment variable that sets the queue limit, for the queue-full message. */
  queueSizeVariable: string;
  /** Where to send; the protocol must be OTLP/HTTP protobuf (what the batches are). */
  export: SignalExportConfig;
  limits: BatchLimits;
  diagnostics: Diagnostics;
  newBatch: () => EncodedBatch<Item>;
  /** Runs each export request and the batch timer (outside any request's context, untraced). */
  detached: <T>(run: () => T) => T;
}

/** Export requests under way at once; sealed batches beyond them wait (within the queue limit). */
const MAX_CONCURRENT_EXPORTS = 2;

/**
 * OTLP/HTTP protobuf export of items encoded as they arrive: only bytes wait for export. The
 * batch size, queue limit, schedule delay and export timeout mean what the SDK's batch
 * processors make of the OTEL_BSP_* / OTEL_BLRP_* variables; items past the queue limit, or
 * past its byte limit (encoded bytes waiting or in flight), are dropped and counted; failures
 * are counted and reported rate-limited.
 */
export class BatchingOtlpExporter<Item> {
  private batch: EncodedBatch<Item>;
  private readonly waiting: { body: Uint8Array; count: number }[] = [];
  private waitingCount = 0;
  /** Bytes sealed and not yet answered: waiting or in flight. */
  private sealedBytes = 0;
  /** Requests being sent, with their bodies: at exit, an answer not read yet is no delivery. */
  private readonly inFlight = new Map<Promise<void>, { body: Uint8Array; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private transport: ExporterTransport | undefined;
  private readonly timeoutMillis: number;
  private readonly queueFull: Error;
  private readonly queueBytesFull: Error;
  private isShutdown = false;
  failedExports = 0;
  dropped = 0;
  lastError: string | undefined;

  constructor(private readonly options: BatchingExporterOptions<Item>) {
    this.batch = options.newBatch();
    const limits = [options.export.timeoutMillis, options.limits.exportTimeoutMillis].filter((millis) => millis > 0);
    this.timeoutMillis = limits.length > 0 ? Math.min(...limits) : 0;
    this.queueFull = new Error(`the ${options.what} export queue is full (${options.queueSizeVariable}); ${options.what} were dropped`);
    this.queueBytesFull = new Error(`the ${options.what} export queue holds ${options.limits.maxQueueBytes} bytes, its limit (THREADLINE_EXPORT_QUEUE_MAX_BYTES); ${options.what} were dropped`);
  }

  offer(item: Item): void {
    if (this.isShutdown) return;
    const { limits, diagnostics, what } = this.options;
    const itemsFull = this.batch.count + this.waitingCount >= limits.maxQueueSize;
    if (itemsFull || this.sealedBytes + this.batch.byteLength >= limits.maxQueueBytes) {
      this.dropped++;
      diagnostics.suppressed(`${what} export queue full`, itemsFull ? this.queueFull : this.queueBytesFull);
      return;
    }
    try {
      this.batch.add(item);
    } catch (error) {
      diagnostics.suppressed(`${what} encoding failed`, error);
      return;
    }
    if (this.batch.count >= limits.maxExportBatchSize) this.seal();
    else this.timer ??= this.options.detached(() => setTimeout(() => this.seal(), limits.scheduleDelayMillis).unref());
  }

  async forceFlush(): Promise<void> {
    this.seal();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight.keys());
  }

  async shutdown(): Promise<void> {
    if (this.isShutdown) return;
    this.isShutdown = true;
    await this.forceFlush();
    this.transport?.shutdown();
  }

  /**
   * For the `exit` event: every item not known to be delivered, as request bodies (the batch
   * being filled, sealed; the batches waiting; those being sent, whose answer will not be read
   * now). Nothing is accepted afterwards. A request that was being sent is sent again, so a
   * backend may receive it twice rather than not at all.
   */
  takeUndelivered(): { body: Uint8Array; count: number }[] {
    this.isShutdown = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const undelivered = [...this.inFlight.values(), ...this.waiting.splice(0)];
    this.inFlight.clear();
    this.waitingCount = 0;
    this.sealedBytes = 0;
    if (this.batch.count > 0) {
      const batch = this.batch;
      this.batch = this.options.newBatch();
      try {
        undelivered.push({ body: batch.seal(), count: batch.count });
      } catch (error) {
        this.options.diagnostics.suppressed(`${this.options.what} encoding failed`, error);
      }
    }
    return undelivered;
  }

  private seal(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.count === 0) return;
    const batch = this.batch;
    this.batch = this.options.newBatch();
    try {
      const body = batch.seal();
      this.waiting.push({ body, count: batch.count });
      this.waitingCount += batch.count;
      this.sealedBytes += body.byteLength;
    } catch (error) {
      this.options.diagnostics.suppressed(`${this.options.what} encoding failed`, error);
      return;
    }
    this.sendWaiting();
  }

  private sendWaiting(): void {
    while (this.inFlight.size < MAX_CONCURRENT_EXPORTS && this.waiting.length > 0) {
      const { body, count } = this.waiting.shift()!;
      this.waitingCount -= count;
      const sending: Promise<void> = this.options
        .detached(() => this.send(body))
        .finally(() => {
          this.sealedBytes -= body.byteLength;
          this.inFlight.delete(sending);
          this.sendWaiting();
        });
      this.inFlight.set(sending, { body, count });
    }
  }

  private async send(body: Uint8Array): Promise<void> {
    try {
      this.transport ??= createSignalTransport(this.options.export);
      const response = await this.transport.send(body, this.timeoutMillis);
      if (response.status !== 'success') this.fail(response.error ?? new Error(`${this.options.what} export failed`));
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.failedExports++;
    this.lastError = describeError(error);
    this.options.diagnostics.suppressed('telemetry export failed', error);
  }
}
