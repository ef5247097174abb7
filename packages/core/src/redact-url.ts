/**
 * URL redaction from the semantic conventions for `url.full`: credentials become
 * `REDACTED:REDACTED`, and the values of query keys that sign a URL (so that whoever holds it
 * can use it) become `REDACTED`. Everything else is kept as sent.
 */
const SIGNED_QUERY_KEYS = new Set([
  'awsaccesskeyid',
  'signature',
  'sig',
  'x-goog-signature',
  'x-goog-credential',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
]);
const REDACTED = 'REDACTED';

export function redactUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  let result = url;
  if (schemeEnd !== -1) {
    const authorityStart = schemeEnd + 3;
    const authorityEnd = firstIndexOf(result, ['/', '?', '#'], authorityStart);
    const at = result.lastIndexOf('@', authorityEnd);
    if (at >= authorityStart) {
      result = `${result.slice(0, authorityStart)}${REDACTED}:${REDACTED}${result.slice(at)}`;
    }
  }
  const queryStart = result.indexOf('?');
  if (queryStart === -1) return result;
  const fragmentStart = result.indexOf('#', queryStart);
  const queryEnd = fragmentStart === -1 ? result.length : fragmentStart;
  const query = result
    .slice(queryStart + 1, queryEnd)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && SIGNED_QUERY_KEYS.has(safeDecode(key).toLowerCase()) ? `${key}=${REDACTED}` : pair;
    })
    .join('&');
  return `${result.slice(0, queryStart + 1)}${query}${result.slice(queryEnd)}`;
}

function firstIndexOf(text: string, needles: string[], from: number): number {
  let found = text.length;
  for (const needle of needles) {
    const index = text.indexOf(needle, from);
    if (index !== -1 && index < found) found = index;
  }
  return found;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
