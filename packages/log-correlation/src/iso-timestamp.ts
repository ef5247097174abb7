let lastMillis = -1;
let lastText = '';

/** `new Date().toISOString()`, formatted at most once per millisecond (many lines share one). */
export function isoTimestamp(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastText = new Date(now).toISOString();
  }
  return lastText;
}
