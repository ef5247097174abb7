import type { Context } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { FieldRedactor } from '@threadline/core';
import { REDACTED_VALUE, createFieldRedactor, sanitizeDbErrorMessage, sanitizeStack } from '@threadline/core';
import { isSqlSystem } from './db/db-query-redactor';

function isCapturedHeader(key: string): boolean {
  return key.startsWith('http.request.header.') || key.startsWith('http.response.header.');
}

/**
 * The redaction policy for spans, applied just before a span ends, whichever code set the
 * attributes and on every path (errors included):
 * - an attribute or event attribute whose name looks like a secret gets `[REDACTED]` (names are
 *   decided once each and cached, so a span with none costs one lookup per attribute);
 * - the data a database error quotes is taken out of the span's status message and its
 *   `exception` events (pg and mysql2 messages quote values and statements).
 * Captured headers keep their own masking (see header-capture.ts).
 */
export class SpanRedactor implements SpanProcessor {
  constructor(private readonly redactor: FieldRedactor = createFieldRedactor()) {}

  onStart(_span: Span, _parentContext: Context): void {}

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
    if (isSqlSystem(attributes['db.system.name'])) sanitizeDbErrors(span);
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** A database span's error status and `exception` events, without the data their messages quote. */
function sanitizeDbErrors(span: Span): void {
  const status = span.status;
  if (status.code === SpanStatusCode.ERROR && status.message) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: sanitizeDbErrorMessage(status.message) });
  }
  for (const event of span.events) {
    if (event.name !== 'exception' || !event.attributes) continue;
    const eventAttributes = event.attributes as Record<string, unknown>;
    const message = eventAttributes['exception.message'];
    if (typeof message !== 'string') continue;
    eventAttributes['exception.message'] = sanitizeDbErrorMessage(message);
    const stack = eventAttributes['exception.stacktrace'];
    if (typeof stack === 'string') eventAttributes['exception.stacktrace'] = sanitizeStack(stack, message);
  }
}
