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

// Random bytes are drawn in blocks (one CSPRNG call per 4 KiB) and each ID is converted to hex
// on its own with `Buffer#toString('hex', start, end)`: that makes a fresh flat string. Slicing
// IDs out of one long hex string was as cheap, but each slice kept its whole 8 KiB block alive,
// so an app (or an exemplar) holding one ID per request held 8 KiB per ID.
const BLOCK_BYTES = 4096;
let block = Buffer.alloc(0);
let offset = 0;

/** `characters` (even) random lowercase hex characters, from the system's CSPRNG. */
export function randomHex(characters: number): string {
  const bytes = characters >> 1;
  if (offset + bytes > block.length) {
    block = randomBytes(BLOCK_BYTES);
    offset = 0;
  }
  const hex = block.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** A fresh request ID: 32 lowercase hex characters (128 random bits). */
export function generateRequestId(): string {
  return randomHex(32);
}
