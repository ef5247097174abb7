/**
 * pino's `timestamp` option for `,"<name>":"<ISO 8601 time>"`: the fragment is formatted at
 * most once per millisecond (many lines share one) and returned as one cached string.
 */
export function isoTimestampField(name: string): () => string {
  const prefix = `,"${name}":"`;
  let lastMillis = -1;
  let lastField = '';
  return () => {
    const now = Date.now();
    if (now !== lastMillis) {
      lastMillis = now;
      lastField = `${prefix}${new Date(now).toISOString()}"`;
    }
    return lastField;
  };
}
