import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { sanitizeSql } from '@threadline/core';

/** `db.system.name` values whose query text is SQL; MySQL-family servers quote strings with "..." too. */
const SQL_SYSTEMS: Record<string, { doubleQuotedStrings: boolean }> = {
  postgresql: { doubleQuotedStrings: false },
  mysql: { doubleQuotedStrings: true },
  mariadb: { doubleQuotedStrings: true },
};

/**
 * Replaces literals in `db.query.text` with `?` just before a span ends, whichever
 * instrumentation set it and on every path (errors included), so no SQL literal is exported.
 * Where the instrumentation did not set `db.operation.name`, it is the statement's first
 * keyword, as the conventions allow for a name parsed from the query.
 */
export class DbQueryRedactor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const text = span.attributes['db.query.text'];
    if (typeof text !== 'string') return;
    const system = SQL_SYSTEMS[String(span.attributes['db.system.name'])];
    if (!system) return;
    span.setAttribute('db.query.text', sanitizeSql(text, system.doubleQuotedStrings));
    if (span.attributes['db.operation.name'] === undefined) {
      const operation = /^\s*([A-Za-z]+)/.exec(text)?.[1];
      if (operation) span.setAttribute('db.operation.name', operation.toUpperCase());
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
