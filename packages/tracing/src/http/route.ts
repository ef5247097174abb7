import type { IncomingMessage } from 'node:http';

/** Where a framework instrumentation leaves the matched route template on the raw request. */
export const ROUTE_KEY = Symbol.for('threadline.http.route');

type RequestWithRoute = IncomingMessage & {
  [ROUTE_KEY]?: string;
  route?: { path?: unknown };
  baseUrl?: unknown;
};

/**
 * The route template (`/orders/:id`) of a finished request, never the raw path: set by a
 * framework instrumentation, or read from Express's own `req.route`, which Express keeps on
 * the same request object node:http created (no patching needed).
 */
export function routeOf(request: IncomingMessage, readExpressRoute: boolean): string | undefined {
  const marked = (request as RequestWithRoute)[ROUTE_KEY];
  if (marked) return marked;
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
