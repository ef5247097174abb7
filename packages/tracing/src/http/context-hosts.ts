import type { ResolvedConfig } from '@threadline/core';

/** What an outbound call sends besides `traceparent`, and to whom. */
export interface ClientPropagation {
  requestIdHeader: string;
  /** Whether `baggage`, `tracestate` and the request ID header may go to this host. */
  sendsContextTo(hostname: string): boolean;
}

/** Headers that only allowed hosts receive: they can carry request IDs and app data. */
export const CONTEXT_HEADERS: ReadonlySet<string> = new Set(['baggage', 'tracestate']);

/**
 * Matches a hostname against `contextAllowedHosts`: `*` allows every host, `*.example.com`
 * any subdomain of it (not the name itself), anything else the exact name, case-insensitively.
 */
export function createHostMatcher(patterns: readonly string[]): (hostname: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((pattern) => !pattern.startsWith('*.')));
  const suffixes = patterns.filter((pattern) => pattern.startsWith('*.')).map((pattern) => pattern.slice(1));
  return (hostname) => {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return exact.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
  };
}

export function clientPropagationOf(config: ResolvedConfig): ClientPropagation {
  return { requestIdHeader: config.requestIdHeaders[0] ?? 'x-request-id', sendsContextTo: createHostMatcher(config.contextAllowedHosts) };
}
