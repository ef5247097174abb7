import type { IncomingMessage } from 'node:http';

/** Where a framework instrumentation leaves the matched route template on the raw request. */
export const ROUTE_KEY = Symbol.for('threadline.http.route');
/** A framework object that knows the route once the request is done (Koa's ctx, Hono's context). */
const ROUTE_SOURCE_KEY = Symbol.for('threadline.http.route-source');
const ROUTE_READER_KEY = Symbol.for('threadline.http.route-reader');

type RouteReader = (source: never) => string | undefined;

type RequestWithRoute = IncomingMessage & {
  [ROUTE_KEY]?: string;
  [ROUTE_SOURCE_KEY]?: object;
  [ROUTE_READER_KEY]?: RouteReader;
  route?: { path?: unknown };
  baseUrl?: unknown;
};

/**
 * The route template (`/orders/:id`) of a finished request, never the raw path: set by a
 * framework instrumentation, read from the framework object it left on the request, or read
 * from Express's own `req.route`, which Express keeps on the same request object node:http
 * created (no patching needed).
 */
export function routeOf(request: IncomingMessage, readExpressRoute: boolean): string | undefined {
  const marked = (request as RequestWithRoute)[ROUTE_KEY];
  if (marked) return marked;
  const read = (request as RequestWithRoute)[ROUTE_READER_KEY] as ((source: object) => string | undefined) | undefined;
  if (read) {
    const route = read((request as RequestWithRoute)[ROUTE_SOURCE_KEY]!);
    if (route) return route;
  }
  if (!readExpressRoute) return undefined;
  const express = request as RequestWithRoute;
  const path = express.route?.path;
  if (typeof path !== 'string') return undefined;
  const base = typeof express.baseUrl === 'string' ? express.baseUrl : '';
  return `${base}${path}` || '/';
}

export function markRoute(request: IncomingMessage, route: string): void {
  (request as RequestWithRoute)[ROUTE_KEY] = route;
}

/**
 * Leaves a framework's per-request object on the raw request, with the module-level function
 * that reads the route from it when the response ends: the route is often known only after
 * the request went through the app's router, and this costs two properties per request, no closure or allocation.
 */
export function markRouteSource<S extends object>(request: IncomingMessage, source: S, read: (source: S) => string | undefined): void {
  const marked = request as RequestWithRoute;
  marked[ROUTE_SOURCE_KEY] = source;
  marked[ROUTE_READER_KEY] = read as RouteReader;
}
