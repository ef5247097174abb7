import type { Context } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { sanitizeSql } from '@threadline/core';
import { dbErrorType } from './db-error-type';
import { dbSpanName, parseSqlOperation } from './sql-operation';

/** `db.system.name` values whose query text is SQL; MySQL-family servers quote strings with "..." too. */
const SQL_SYSTEMS: Record<string, { doubleQuotedStrings: boolean }> = {
  postgresql: { doubleQuotedStrings: false },
  mysql: { doubleQuotedStrings: true },
  mariadb: { doubleQuotedStrings: true },
};

/** Whether spans of this `db.system.name` carry SQL (whose errors quote statements and values). */
export function isSqlSystem(system: unknown): boolean {
  return typeof system === 'string' && Object.hasOwn(SQL_SYSTEMS, system);
}

/**
 * Runs just before a database span ends, whichever instrumentation made it and on every path
 * (errors included):
 * - replaces literals in `db.query.text` with `?`, so no SQL literal is exported;
 * - sets `db.operation.name` and `db.collection.name` parsed from the sanitized text, and names
 *   the span the conventions' way (`SELECT orders`, `BEGIN`, `SET`), the same shape for every
 *   client (the instrumentations' own names differ: `pg.query:SELECT test`, `select`, `set`);
 * - sets `error.type` to the driver's error code when the operation failed.
 */
export class DbQueryRedactor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  onEnding(span: Span): void {
    const system = span.attributes['db.system.name'];
    if (typeof system !== 'string') return;
    const text = span.attributes['db.query.text'];
    const sql = SQL_SYSTEMS[system];
    let operation: string | undefined;
    let collection: string | undefined;
    if (sql && typeof text === 'string') {
      const sanitized = sanitizeSql(text, sql.doubleQuotedStrings);
      span.setAttribute('db.query.text', sanitized);
      ({ operation, collection } = parseSqlOperation(sanitized));
      if (operation) span.setAttribute('db.operation.name', operation);
      if (collection) span.setAttribute('db.collection.name', collection);
    } else {
      const named = span.attributes['db.operation.name'];
      operation = typeof named === 'string' ? named.toUpperCase() : undefined;
      if (operation) span.setAttribute('db.operation.name', operation);
    }
    span.updateName(dbSpanName(operation, collection, system));
    if (span.status.code === SpanStatusCode.ERROR && span.attributes['error.type'] === undefined) {
      const errorType = dbErrorType(span);
      if (errorType) span.setAttribute('error.type', errorType);
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
