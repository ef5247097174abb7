import type { IncomingMessage } from 'node:http';
import { markRouteSource } from './route';

interface HonoRequest {
  routePath?: unknown;
}
interface HonoContext {
  env?: { incoming?: IncomingMessage };
}
type HonoModule = { Context?: { prototype: object } };

const PATCHED = Symbol.for('threadline.hono.patched');

/** The template of the handler that ran last, as Hono's own `c.req.routePath` says. */
function readHonoRoute(request: HonoRequest): string | undefined {
  try {
    const path = request.routePath;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Hono keeps the matched routes on its per-request `HonoRequest`, created by the `c.req` getter
 * of the `Context` prototype (Hono's router calls it between middleware; handlers read params
 * through it). On `@hono/node-server` the context's `env.incoming` is node's request, where the
 * getter leaves the `HonoRequest` for the server span to read `routePath` from when it ends.
 */
export function patchHonoContext(hono: unknown): void {
  const prototype = (hono as HonoModule)?.Context?.prototype as Record<string | symbol, unknown> | undefined;
  if (!prototype || prototype[PATCHED]) return;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'req');
  const get = descriptor?.get;
  if (!descriptor || typeof get !== 'function') return;
  Object.defineProperty(prototype, 'req', {
    ...descriptor,
    get(this: HonoContext) {
      const request = get.call(this) as HonoRequest;
      const incoming = this.env?.incoming;
      if (incoming && request) markRouteSource(incoming, request, readHonoRoute);
      return request;
    },
  });
  prototype[PATCHED] = true;
}
