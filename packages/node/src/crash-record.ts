import { sanitizedDbError } from '@threadline/core';
import type { Logger } from '@threadline/log-correlation';

/**
 * The one `fatal` record of an uncaught exception or unhandled rejection, written by the
 * structured logger in the context the error was thrown in (Node runs the
 * `uncaughtExceptionMonitor` there), so it carries that request's trace ID and request ID. The
 * fields are the semantic conventions' exception attributes, so the OTLP record and the JSON
 * line say the same thing; the exit event then sends the record with everything else. A
 * database driver's error (a rejected query nobody awaited) loses the data it quotes.
 */
export function recordCrash(logger: Logger, error: unknown, origin: string): void {
  const thrown = error instanceof Error ? (sanitizedDbError(error) ?? error) : undefined;
  logger.fatal(origin === 'unhandledRejection' ? 'process.unhandled_rejection' : 'process.uncaught_exception', {
    'exception.type': thrown ? thrown.name : typeof error,
    'exception.message': thrown ? thrown.message : String(error),
    'exception.stacktrace': thrown?.stack ?? String(error),
  });
}
