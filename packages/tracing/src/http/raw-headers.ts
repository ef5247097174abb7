import type { IncomingMessage } from 'node:http';
import type { TextMapGetter } from '@opentelemetry/api';

/**
 * Node builds `request.headers` lazily, the first time it is read: one `_addHeaderLine` per
 * header, with lower-casing and duplicate rules. A server span needs a handful of headers
 * (trace context, baggage, the request ID), so they are read from `rawHeaders` instead and an
 * app that never reads `request.headers` never pays for building it.
 *
 * A repeated header reads as its values joined with ", ", as Node's `request.headers` does for
 * these names, so a doubled `traceparent` is as invalid here as it is there.
 */
export function rawHeader(rawHeaders: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const candidate = rawHeaders[index]!;
    if (candidate.length !== name.length || candidate.toLowerCase() !== name) continue;
    const next = rawHeaders[index + 1] ?? '';
    value = value === undefined ? next : `${value}, ${next}`;
  }
  return value;
}

/** The header names of a request, lower-cased, each once (for propagators that scan by prefix). */
function rawHeaderNames(rawHeaders: readonly string[]): string[] {
  const names = new Set<string>();
  for (let index = 0; index < rawHeaders.length; index += 2) names.add(rawHeaders[index]!.toLowerCase());
  return [...names];
}

/** Extracts a request's context (any configured propagator) straight from its raw headers. */
export const RAW_HEADERS_GETTER: TextMapGetter<IncomingMessage> = {
  get: (request, key) => rawHeader(request.rawHeaders, key.toLowerCase()),
  keys: (request) => rawHeaderNames(request.rawHeaders),
};
