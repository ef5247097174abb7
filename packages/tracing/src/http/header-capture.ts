import type { Span } from '@opentelemetry/api';

/** Reads one header by lowercase name: node gives a string, a number or an array. */
export type HeaderReader = (name: string) => unknown;
/** Sets the configured headers on a span; absent when none is configured, so nothing runs. */
export type HeaderCapture = (span: Span, read: HeaderReader) => void;

/** Credentials whatever the list says; API keys and tokens by name. */
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const SENSITIVE_PATTERN = /(^|[-_])(api[-_]?key|apikey|auth[-_]?token|access[-_]?token|token|secret|password|session)$/;
export const REDACTED = 'REDACTED';

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADERS.has(name) || SENSITIVE_PATTERN.test(name);
}

/**
 * Captures the named headers as `http.request.header.<name>` / `http.response.header.<name>`,
 * string arrays per the HTTP conventions. A sensitive header is `["REDACTED"]` unless it is also
 * in `allowSensitive`. Attribute keys are built once; with no header named there is no capture
 * function, so an instrumentation pays one `undefined` check.
 */
export function createHeaderCapture(names: readonly string[], allowSensitive: readonly string[], direction: 'request' | 'response'): HeaderCapture | undefined {
  if (names.length === 0) return undefined;
  const allowed = new Set(allowSensitive);
  const headers = names.map((name) => ({
    name,
    key: `http.${direction}.header.${name}`,
    masked: isSensitiveHeader(name) && !allowed.has(name),
  }));
  return (span, read) => {
    for (const { name, key, masked } of headers) {
      const value = read(name);
      if (value === undefined || value === null) continue;
      span.setAttribute(key, masked ? [REDACTED] : Array.isArray(value) ? value.map(String) : [String(value)]);
    }
  };
}

/**
 * A reader over undici's headers: a flat `[name, value, ...]` array (strings or Buffers), or,
 * in older undici, one `name: value\r\n` string.
 */
export function undiciHeaderReader(headers: unknown): HeaderReader {
  return (name) => {
    const values: string[] = [];
    if (Array.isArray(headers)) {
      for (let index = 0; index + 1 < headers.length; index += 2) {
        if (String(headers[index]).toLowerCase() === name) values.push(String(headers[index + 1]));
      }
    } else if (typeof headers === 'string') {
      for (const line of headers.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) values.push(line.slice(colon + 1).trim());
      }
    }
    return values.length > 0 ? values : undefined;
  };
}
