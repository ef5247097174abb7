import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';

/**
 * Counts spans ended since the last flush, so that `beforeExit` flushes only when there is
 * something to send (a flush that finds nothing would re-arm `beforeExit` forever).
 */
export class PendingWorkCounter implements SpanProcessor {
  private endedSinceFlush = 0;

  hasPendingWork(): boolean {
    return this.endedSinceFlush > 0;
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (span.spanContext().traceFlags & 1) this.endedSinceFlush++;
  }

  forceFlush(): Promise<void> {
    this.endedSinceFlush = 0;
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.endedSinceFlush = 0;
    return Promise.resolve();
  }
}
