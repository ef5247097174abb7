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

// Random bytes are drawn in blocks: one call per 256 IDs instead of one per request.
const BLOCK_IDS = 256;
let block = Buffer.alloc(0);
let offset = 0;

/** A fresh request ID: 32 lowercase hex characters (128 random bits). */
export function generateRequestId(): string {
  if (offset >= block.length) {
    block = randomBytes(16 * BLOCK_IDS);
    offset = 0;
  }
  const id = block.toString('hex', offset, offset + 16);
  offset += 16;
  return id;
}
