import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { Diagnostics } from '@threadline/core';
import { guard } from '@threadline/core';

/**
 * A span processor whose `onStart` and `onEnd` never throw. The SDK calls processors from
 * `tracer.startSpan()` and `span.end()` without a guard, so a failing processor would throw
 * into the app's code (or into a response's `close` listener) and skip the processors after
 * it. Flush and shutdown are promises the lifecycle already bounds and reports.
 */
export class GuardedSpanProcessor implements SpanProcessor {
  readonly onStart: (span: Span, parentContext: Context) => void;
  readonly onEnd: (span: ReadableSpan) => void;

  constructor(
    readonly processor: SpanProcessor,
    diagnostics: Diagnostics,
  ) {
    const what = `span processor ${processor.constructor.name}`;
    // The processor's methods are looked up on each call, not bound once: what runs is always
    // the processor's current code.
    this.onStart = guard(diagnostics, what, (span: Span, parentContext: Context) => processor.onStart(span, parentContext));
    this.onEnd = guard(diagnostics, what, (span: ReadableSpan) => processor.onEnd(span));
  }

  forceFlush(): Promise<void> {
    return this.processor.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.processor.shutdown();
  }
}
