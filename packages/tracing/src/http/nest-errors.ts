import type { IncomingMessage } from 'node:http';
import { markServerError } from './server-error';

interface ArgumentsHost {
  getArgByIndex?(index: number): unknown;
}
type NestCore = { BaseExceptionFilter?: { prototype: { catch?: (exception: unknown, host: ArgumentsHost) => unknown } } };

const PATCHED = Symbol.for('threadline.nest.patched');

/** Express hands Nest node's request itself; Fastify its own request, with node's as `raw`. */
function nodeRequestOf(request: unknown): IncomingMessage | undefined {
  const candidate = request as { raw?: IncomingMessage; socket?: unknown } | undefined;
  if (candidate?.raw && typeof candidate.raw === 'object') return candidate.raw;
  return candidate?.socket ? (request as IncomingMessage) : undefined;
}

/**
 * NestJS catches every handler error in its exceptions layer and answers it itself, so the error
 * never reaches Express or Fastify. The default answer (and any filter that extends it) goes
 * through `BaseExceptionFilter.prototype.catch`; wrapping it remembers the exception for the
 * server span, on the error path only, and leaves the answer to Nest.
 */
export function patchNestExceptionFilter(core: unknown): void {
  const prototype = (core as NestCore)?.BaseExceptionFilter?.prototype;
  const original = prototype?.catch;
  if (!prototype || typeof original !== 'function' || (prototype as Record<symbol, unknown>)[PATCHED]) return;
  prototype.catch = function (this: unknown, exception: unknown, host: ArgumentsHost) {
    try {
      markServerError(nodeRequestOf(host?.getArgByIndex?.(0)), exception);
    } catch {
      // Reading Nest's host is best effort; Nest's own answer must happen regardless.
    }
    return original.call(this, exception, host);
  };
  (prototype as Record<symbol, unknown>)[PATCHED] = true;
}
