/**
 * Parses an HTTP `Retry-After` value, either delay-seconds or an HTTP date (RFC 9110 10.2.3),
 * into milliseconds from `now`. Returns undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // HTTP-date forms all carry hh:mm:ss; without one, V8's lenient parser would accept words.
  if (!/\d{2}:\d{2}:\d{2}/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
