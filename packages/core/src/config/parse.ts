/**
 * Parsers for configuration values, following the OpenTelemetry environment rules:
 * empty means unset, booleans are true only for case-insensitive `true`, numbers that
 * do not parse are rejected (the caller warns and falls back).
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

export type Parser<T> = (raw: string) => Parsed<T>;

export const parseBoolean: Parser<boolean> = (raw) => {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return { ok: true, value: true };
  if (value === 'false') return { ok: true, value: false };
  return { ok: false, expected: '"true" or "false"' };
};

/**
 * A switch turned on by hand on a command line (`THREADLINE_DOCTOR=1`): `1` and `0` count as
 * well as the specification's `true` and `false`.
 */
export const parseFlag: Parser<boolean> = (raw) => {
  const value = raw.trim();
  if (value === '1') return { ok: true, value: true };
  if (value === '0') return { ok: true, value: false };
  const parsed = parseBoolean(raw);
  return parsed.ok ? parsed : { ok: false, expected: '"true", "false", "1" or "0"' };
};

export const parseNonNegativeInteger: Parser<number> = (raw) => {
  const value = Number(raw.trim());
  if (raw.trim() !== '' && Number.isInteger(value) && value >= 0) return { ok: true, value };
  return { ok: false, expected: 'a whole number >= 0' };
};

export const parsePositiveInteger: Parser<number> = (raw) => {
  const value = Number(raw.trim());
  if (raw.trim() !== '' && Number.isInteger(value) && value > 0) return { ok: true, value };
  return { ok: false, expected: 'a whole number > 0' };
};

export const parseRatio: Parser<number> = (raw) => {
  const value = Number(raw.trim());
  if (raw.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 1) {
    return { ok: true, value };
  }
  return { ok: false, expected: 'a number from 0 to 1' };
};

export const parseString: Parser<string> = (raw) => ({ ok: true, value: raw.trim() });

export const parseStringList: Parser<string[]> = (raw) => ({
  ok: true,
  value: raw.split(',').map((part) => part.trim()).filter((part) => part !== ''),
});

export function parseEnum<T extends string>(allowed: readonly T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim().toLowerCase() as T;
    if (allowed.includes(value)) return { ok: true, value };
    return { ok: false, expected: `one of ${allowed.join(', ')}` };
  };
}

export function parseEnumList<T extends string>(allowed: readonly T[]): Parser<T[]> {
  const parseOne = parseEnum(allowed);
  return (raw) => {
    const values: T[] = [];
    for (const part of raw.split(',')) {
      if (part.trim() === '') continue;
      const parsed = parseOne(part);
      if (!parsed.ok) return { ok: false, expected: `a comma-separated list of ${allowed.join(', ')}` };
      if (!values.includes(parsed.value)) values.push(parsed.value);
    }
    return { ok: true, value: values };
  };
}

export const parseUrl: Parser<string> = (raw) => {
  const value = raw.trim();
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { ok: true, value };
  } catch {
    // fall through to the rejection below
  }
  return { ok: false, expected: 'an http:// or https:// URL' };
};

/** A URL, or for OTLP/gRPC a bare `host:port` (whose TLS the `insecure` setting decides). */
export const parseEndpoint: Parser<string> = (raw) => {
  const value = raw.trim();
  if (/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(value)) return { ok: true, value };
  const url = parseUrl(value);
  return url.ok ? url : { ok: false, expected: 'an http:// or https:// URL, or host:port' };
};

export const parsePort: Parser<number> = (raw) => {
  const value = Number(raw.trim());
  if (raw.trim() !== '' && Number.isInteger(value) && value >= 0 && value <= 65535) return { ok: true, value };
  return { ok: false, expected: 'a port number from 0 to 65535' };
};

/**
 * `key=value,key2=value2` as used by OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS.
 * Values are percent-decoded (W3C Baggage octet rules); a malformed member rejects the whole
 * value rather than silently keeping part of it.
 */
export const parseKeyValueList: Parser<Record<string, string>> = (raw) => {
  const result: Record<string, string> = {};
  for (const member of raw.split(',')) {
    if (member.trim() === '') continue;
    const separator = member.indexOf('=');
    if (separator <= 0) return { ok: false, expected: 'a list of key=value pairs' };
    const key = safeDecode(member.slice(0, separator).trim());
    const value = safeDecode(member.slice(separator + 1).trim());
    if (key === undefined || value === undefined || key === '') {
      return { ok: false, expected: 'a list of key=value pairs with valid percent-encoding' };
    }
    result[key] = value;
  }
  return { ok: true, value: result };
};

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
