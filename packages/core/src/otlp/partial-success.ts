/**
 * The rejected-item count of an OTLP protobuf Export*ServiceResponse: field 1 (partial_success)
 * holds field 1 (rejected_spans / rejected_log_records / rejected_data_points). 0 when the
 * response is empty (full success) or not readable. Never throws.
 */
export function rejectedCount(response: Uint8Array | undefined): number {
  if (!response || response.byteLength === 0) return 0;
  const reader = { bytes: response, offset: 0 };
  try {
    while (reader.offset < response.byteLength) {
      const tag = readVarint(reader);
      if (tag === 0x0a) {
        const end = readVarint(reader) + reader.offset;
        while (reader.offset < end) {
          const innerTag = readVarint(reader);
          if (innerTag === 0x08) return readVarint(reader);
          if (!skip(reader, innerTag)) return 0;
        }
        return 0;
      }
      if (!skip(reader, tag)) return 0;
    }
  } catch {
    return 0;
  }
  return 0;
}

interface Reader {
  bytes: Uint8Array;
  offset: number;
}

function readVarint(reader: Reader): number {
  let value = 0;
  let scale = 1;
  for (let index = 0; index < 10; index++) {
    const byte = reader.bytes[reader.offset++];
    if (byte === undefined) throw new RangeError('truncated varint');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return value;
    scale *= 128;
  }
  throw new RangeError('varint too long');
}

/** Skips one field of a wire type it knows; false for a group or an unknown wire type. */
function skip(reader: Reader, tag: number): boolean {
  const wireType = tag & 7;
  if (wireType === 0) readVarint(reader);
  else if (wireType === 1) reader.offset += 8;
  else if (wireType === 2) reader.offset += readVarint(reader);
  else if (wireType === 5) reader.offset += 4;
  else return false;
  return true;
}
