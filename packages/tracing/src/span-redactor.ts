import type { Context } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FieldRedactor } from '@threadline/core';
import { REDACTED_VALUE, createFieldRedactor, rememberDbErrorMessage, sanitizeSeenDbErrors, sanitizeStack } from '@threadline/core';
import { isSqlSystem } from './db/db-query-redactor';
import { sanitizeRecordedDbErrors } from './recorded-db-errors';

function isCapturedHeader(key: string): boolean {
  return key.startsWith('http.request.header.') || key.startsWith('http.response.header.');
}

/**
 * The redaction policy for spans, applied just before a span ends, whichever code set the
 * attributes and on every path (errors included):
 * - an attribute or event attribute whose name looks like a secret gets `[REDACTED]` (names are
 *   decided once each and cached, so a span with none costs one lookup per attribute);
 * - the data a database error quotes is taken out of the span's status message and its
 *   `exception` events (pg and mysql2 messages quote values and statements); on any other span,
 *   the messages of database errors already seen are (an HTTP span whose handler rethrew one);
 *   an error object recorded with `recordException` is sanitized as it is recorded.
 * Captured headers keep their own masking (see header-capture.ts).
 */
export class SpanRedactor implements SpanProcessor {
  private spanPrototype: object | undefined;

  constructor(private readonly redactor: FieldRedactor = createFieldRedactor()) {}

  onStart(span: Span, _parentContext: Context): void {
    const prototype = Object.getPrototypeOf(span) as object;
    if (prototype === this.spanPrototype) return;
    this.spanPrototype = prototype;
    sanitizeRecordedDbErrors(prototype);
  }

  onEnding(span: Span): void {
    const attributes = span.attributes;
    for (const key in attributes) {
      // Captured headers have their own policy (credentials masked unless explicitly allowed).
      if (isCapturedHeader(key)) continue;
      if (this.redactor.isSecret(key) && attributes[key] !== REDACTED_VALUE) span.setAttribute(key, REDACTED_VALUE);
    }
    for (const event of span.events) {
      const eventAttributes = event.attributes as Record<string, unknown> | undefined;
      if (!eventAttributes) continue;
      for (const key in eventAttributes) if (this.redactor.isSecret(key)) eventAttributes[key] = REDACTED_VALUE;
    }
    // The query text itself is sanitized (and the span named from it) by DbQueryRedactor.
    sanitizeErrors(span, isSqlSystem(attributes['db.system.name']));
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The span's error status and `exception` events without the data database errors quote: on a
 * database span every quote is data (and the message is remembered for the spans and logs the
 * error reaches next), elsewhere only the messages of database errors seen before are replaced.
 */
function sanitizeErrors(span: Span, database: boolean): void {
  const sanitize = database ? rememberDbErrorMessage : sanitizeSeenDbErrors;
  const status = span.status;
  if (status.code === SpanStatusCode.ERROR && status.message) {
    const message = sanitize(status.message);
    if (message !== status.message) span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
  for (const event of span.events) {
    if (event.name !== 'exception' || !event.attributes) continue;
    const eventAttributes = event.attributes as Record<string, unknown>;
    const message = eventAttributes['exception.message'];
    if (typeof message !== 'string') continue;
    const sanitized = sanitize(message);
    if (sanitized === message) continue;
    eventAttributes['exception.message'] = sanitized;
    const stack = eventAttributes['exception.stacktrace'];
    if (typeof stack === 'string') eventAttributes['exception.stacktrace'] = database ? sanitizeStack(stack, message) : sanitize(stack);
  }
}
