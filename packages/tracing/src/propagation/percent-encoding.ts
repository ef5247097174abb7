const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;
const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

/**
 * Percent-decodes a baggage value. W3C Baggage: sequences that are not valid UTF-8 become
 * U+FFFD; a `%` not followed by two hex digits is kept as it is. Never throws, unlike
 * `decodeURIComponent`.
 */
export function decodeBaggageValue(value: string): string {
  if (!value.includes('%')) return value;
  const bytes: number[] = [];
  for (let index = 0; index < value.length; index++) {
    const char = value.charCodeAt(index);
    const pair = value.slice(index + 1, index + 3);
    if (char === 0x25 && HEX_PAIR.test(pair)) {
      bytes.push(parseInt(pair, 16));
      index += 2;
    } else {
      // The value grammar only admits ASCII, so each character is one byte.
      bytes.push(char & 0x7f);
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}

/** W3C Baggage's baggage-octet set without `%`: a value made only of these is sent as it is. */
const SENT_AS_IS = /^[\x21\x23-\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** Percent-encodes everything outside the baggage-octet set (and `%` itself), as UTF-8. */
export function encodeBaggageValue(value: string): string {
  // Request IDs and most values need no encoding: one test instead of a copy byte by byte.
  if (SENT_AS_IS.test(value)) return value;
  let encoded = '';
  for (const byte of encoder.encode(value)) {
    const isOctet = byte === 0x21 || (byte >= 0x23 && byte <= 0x2b && byte !== 0x25) || (byte >= 0x2d && byte <= 0x3a) || (byte >= 0x3c && byte <= 0x5b) || (byte >= 0x5d && byte <= 0x7e);
    encoded += isOctet ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
