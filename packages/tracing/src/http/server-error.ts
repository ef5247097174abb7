import type { IncomingMessage } from 'node:http';

/** Where a framework instrumentation leaves the error a handler failed with, on the raw request. */
const ERROR_KEY = Symbol.for('threadline.http.server-error');

type RequestWithError = IncomingMessage & { [ERROR_KEY]?: unknown };

/**
 * Remembers the error a request's handler failed with; the first one wins (a framework passes
 * the same error through several layers). The server span decides at its end whether it is
 * recorded: only a response that failed (5xx, or never completed) makes it an exception, since
 * the HTTP conventions leave a server's 4xx unset (a thrown 404 is the client's error).
 */
export function markServerError(request: IncomingMessage | undefined, error: unknown): void {
  if (!request || error === undefined || error === null) return;
  const marked = request as RequestWithError;
  if (marked[ERROR_KEY] === undefined) marked[ERROR_KEY] = error;
}

export function serverErrorOf(request: IncomingMessage): unknown {
  return (request as RequestWithError)[ERROR_KEY];
}
