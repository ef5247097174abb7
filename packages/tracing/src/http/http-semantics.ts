/**
 * Attribute helpers shared by the server, client and fetch instrumentations, following the
 * stable HTTP semantic conventions.
 */
const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'QUERY']);

/** Known methods as-is; anything else is `_OTHER` (bounded cardinality), per the conventions. */
export function normalizeMethod(method: string | undefined): string {
  const upper = (method ?? 'GET').toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

/** The span name: `{method} {route}` when the route template is known, else `{method}`. */
export function spanName(method: string, route?: string): string {
  const verb = method === '_OTHER' ? 'HTTP' : method;
  return route ? `${verb} ${route}` : verb;
}

/** Path without query string or fragment. */
export function pathOf(target: string | undefined): string {
  if (!target) return '/';
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** Splits a `Host` header value into name and port (IPv6 literals keep their brackets off). */
export function parseHost(host: string | undefined, defaultPort: number): Readonly<{ address?: string; port: number }> {
  if (!host) return { port: defaultPort };
  // A service sees few distinct Host values: parse each once (bounded, so a flood of random
  // hosts costs a parse each, never memory).
  const cache = (parsedHosts[defaultPort] ??= new Map());
  let parsed = cache.get(host);
  if (parsed === undefined) {
    parsed = parseHostUncached(host, defaultPort);
    if (cache.size >= MAX_CACHED_HOSTS) cache.clear();
    cache.set(host, parsed);
  }
  return parsed;
}

const MAX_CACHED_HOSTS = 256;
const parsedHosts: Record<number, Map<string, Readonly<{ address?: string; port: number }>>> = {};

function parseHostUncached(host: string, defaultPort: number): Readonly<{ address?: string; port: number }> {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
  if (!match) return Object.freeze({ port: defaultPort });
  const address = match[1]!.replace(/^\[|\]$/g, '');
  return Object.freeze({ address, port: match[2] ? Number(match[2]) : defaultPort });
}

/** True for paths the user asked not to trace; `/health*` matches by prefix. */
export function createPathMatcher(patterns: readonly string[]): (path: string) => boolean {
  if (patterns.length === 0) return () => false;
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith('*')));
  const prefixes = patterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => pattern.slice(0, -1));
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}
