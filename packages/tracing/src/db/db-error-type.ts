import type { Span } from '@opentelemetry/sdk-trace';

/** instrumentation-pg records a sanitized message of a fixed shape: `... (code: 23505)`. */
const PG_CODE = /\(code: ([0-9A-Z]{5})\)$/;

/** Reached from the mysql2 patch (db-instrumentations.ts): the error packet mysql2 parsed last. */
let lastMysqlError: { message: string; code: string } | undefined;

export function rememberMysqlError(error: { message?: unknown; code?: unknown }): void {
  if (typeof error.message === 'string' && typeof error.code === 'string') lastMysqlError = { message: error.message, code: error.code };
}

/**
 * The driver's error code of a failed database span (`23505`, `ER_NO_REFERENCED_ROW_2`), where
 * the instrumentation left it: pg's sanitized exception message, the exception type the Redis
 * clients' errors give, or, for mysql2 (whose instrumentation keeps only the message), the error
 * mysql2 built from the server's error packet just before, in the same tick, when its message
 * is the span's status message.
 */
export function dbErrorType(span: Span): string | undefined {
  const exception = span.events.find((event) => event.name === 'exception')?.attributes;
  const message = exception?.['exception.message'];
  if (typeof message === 'string') {
    const pgCode = PG_CODE.exec(message)?.[1];
    if (pgCode) return pgCode;
  }
  const type = exception?.['exception.type'];
  if (typeof type === 'string' && type !== 'Error') return type;
  if (lastMysqlError && span.status.message === lastMysqlError.message) return lastMysqlError.code;
  return undefined;
}
