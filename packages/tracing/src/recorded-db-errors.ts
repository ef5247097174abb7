import type { Exception, HrTime } from '@opentelemetry/api';
import { sanitizedDbError } from '@threadline/core';

type RecordException = (this: unknown, exception: Exception, time?: HrTime) => void;

const PATCHED = Symbol.for('threadline.span.record-exception');

/**
 * A database driver's error is recorded on spans Threadline did not start for the database: the
 * HTTP server span of the handler that rethrew it, a framework's or the app's own
 * `span.recordException(err)`. Every one of those goes through the span class's
 * `recordException`, which still has the error object, so that is where its quoted data is
 * taken out (and its message remembered for a later `setStatus({ message: err.message })`).
 * Patched once per span class, from the first span a processor sees: the check per span is one
 * comparison, and only an error that looks like a pg or mysql2 one is copied.
 */
export function sanitizeRecordedDbErrors(spanPrototype: object): void {
  const prototype = spanPrototype as Record<string | symbol, unknown>;
  if (prototype[PATCHED] || typeof prototype.recordException !== 'function') return;
  const original = prototype.recordException as RecordException;
  prototype.recordException = function recordException(this: unknown, exception: Exception, time?: HrTime): void {
    let recorded: Exception = exception;
    try {
      recorded = (sanitizedDbError(exception) as Exception | undefined) ?? exception;
    } catch {
      // A hostile error object (a throwing getter): record it as the SDK would.
    }
    original.call(this, recorded, time);
  };
  prototype[PATCHED] = true;
}
