/** W3C Trace Context trace flags: bit 0 sampled, bit 1 (Level 2) random trace ID. */
export const SAMPLED_FLAG = 0x01;
export const RANDOM_FLAG = 0x02;

export interface TraceParent {
  traceId: string;
  parentId: string;
  /** Only the flags this version knows (sampled, random); others are not passed on. */
  traceFlags: number;
}

const VERSION_00_LENGTH = 55;
const HEX = /^[0-9a-f]+$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/**
 * Parses one `traceparent` value per W3C Trace Context Level 2, or returns undefined. Version
 * `00` is exactly `00-<32 hex>-<16 hex>-<2 hex>`; a later version may append fields after a
 * `-`; `ff`, uppercase hex and all-zero IDs are invalid. Optional whitespace around the value
 * is allowed (it is a header field value).
 */
export function parseTraceParent(header: string): TraceParent | undefined {
  const value = header.replace(/^[ \t]+|[ \t]+$/g, '');
  if (value.length < VERSION_00_LENGTH) return undefined;
  const version = value.slice(0, 2);
  if (!HEX.test(version) || version === 'ff') return undefined;
  if (version === '00' ? value.length !== VERSION_00_LENGTH : value.length > VERSION_00_LENGTH && value[VERSION_00_LENGTH] !== '-') {
    return undefined;
  }
  if (value[2] !== '-' || value[35] !== '-' || value[52] !== '-') return undefined;
  const traceId = value.slice(3, 35);
  const parentId = value.slice(36, 52);
  const flags = value.slice(53, 55);
  if (!HEX.test(traceId) || !HEX.test(parentId) || !HEX.test(flags)) return undefined;
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return undefined;
  return { traceId, parentId, traceFlags: parseInt(flags, 16) & (SAMPLED_FLAG | RANDOM_FLAG) };
}

export function formatTraceParent(traceId: string, spanId: string, traceFlags: number): string {
  return `00-${traceId}-${spanId}-0${(traceFlags & (SAMPLED_FLAG | RANDOM_FLAG)).toString(16)}`;
}
