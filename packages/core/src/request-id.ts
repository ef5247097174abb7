import { randomBytes } from 'node:crypto';

/** Long enough for any UUID, ULID or trace-style ID; short enough to be harmless in every store. */
export const MAX_REQUEST_ID_LENGTH = 128;
const SAFE_REQUEST_ID = /^[A-Za-z0-9._~:+=@/-]+$/;

/**
 * Inbound request IDs are untrusted: only a bounded length of a safe character set (no
 * CR/LF, quotes, spaces, control or non-ASCII characters) is accepted.
 */
export function isValidRequestId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REQUEST_ID_LENGTH && SAFE_REQUEST_ID.test(value);
}

// Random hex is drawn in blocks (one call per 8 KiB of hex) and IDs are slices of it: a
// substring of a flat string costs no copy and no per-ID conversion to hex.
const BLOCK_BYTES = 4096;
let block = '';
let offset = 0;

/** `characters` random lowercase hex characters (from the system's CSPRNG). */
export function randomHex(characters: number): string {
  if (offset + characters > block.length) {
    block = randomBytes(BLOCK_BYTES).toString('hex');
    offset = 0;
  }
  const hex = block.substring(offset, offset + characters);
  offset += characters;
  return hex;
}

/** A fresh request ID: 32 lowercase hex characters (128 random bits). */
export function generateRequestId(): string {
  return randomHex(32);
}
