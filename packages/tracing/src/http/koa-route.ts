import type { IncomingMessage } from 'node:http';
import { markRouteSource } from './route';
import { markServerError } from './server-error';

interface KoaContext {
  req: IncomingMessage;
  _matchedRoute?: unknown;
  onerror(error: unknown): unknown;
}
type KoaApplication = { prototype: { handleRequest?: (ctx: KoaContext, ...rest: unknown[]) => unknown }; new (): { context: object } };

const PATCHED = Symbol.for('threadline.koa.patched');

/** `@koa/router` leaves the template of the route that handled the request on `ctx._matchedRoute`. */
function readKoaRoute(ctx: KoaContext): string | undefined {
  return typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : undefined;
}

/**
 * Koa: `Application.prototype.handleRequest` receives every request's `ctx`; leaving it on the raw
 * request lets the server span read the route when the response ends (the router sets it while
 * the middleware runs). Every error Koa turns into a response goes through `ctx.onerror`, on the
 * context prototype all apps share: wrapping it remembers the error, on the error path only.
 */
export function patchKoa(Application: unknown): void {
  const Koa = Application as KoaApplication;
  const handleRequest = Koa?.prototype?.handleRequest;
  if (typeof handleRequest !== 'function' || (Koa.prototype as Record<symbol, unknown>)[PATCHED]) return;
  Koa.prototype.handleRequest = function (this: unknown, ctx: KoaContext, ...rest: unknown[]) {
    if (ctx?.req) markRouteSource(ctx.req, ctx, readKoaRoute);
    return handleRequest.call(this, ctx, ...rest);
  };
  (Koa.prototype as Record<symbol, unknown>)[PATCHED] = true;

  const contextPrototype = Object.getPrototypeOf(new Koa().context) as Partial<KoaContext>;
  const onerror = contextPrototype.onerror;
  if (typeof onerror !== 'function') return;
  contextPrototype.onerror = function (this: KoaContext, error: unknown) {
    markServerError(this?.req, error);
    return onerror.call(this, error);
  };
}
