/** Epoch milliseconds as an HrTime `[seconds, nanoseconds]`, the SDK's and `hrTime()`'s form. */
export function millisToHrTime(millis: number): [number, number] {
  const seconds = Math.floor(millis / 1000);
  return [seconds, Math.round((millis - seconds * 1000) * 1e6)];
}

/**
 * A growable protobuf writer that encodes in one pass. A nested message reserves one length
 * byte and, when its content turns out to need a longer length, moves the content up by the
 * difference (once per large message: a batch, never a typical span or attribute).
 */
export class ProtobufWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialBytes = 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.position;
  }

  /** The bytes written so far (a view: the writer is not written to afterwards). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.position);
  }

  /** A copy of what was written from `from` on. */
  copyFrom(from: number): Uint8Array {
    return Buffer.from(this.buffer.subarray(from, this.position));
  }

  /** Drops what was written after `length` (a message that failed half-way). */
  truncate(length: number): void {
    this.position = Math.min(this.position, length);
  }

  private ensure(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** A non-negative safe integer as a varint; anything else goes through the 64-bit path. */
  private varint(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER)) {
      this.varint64(BigInt.asUintN(64, BigInt(Math.trunc(value))));
      return;
    }
    this.ensure(10);
    const buffer = this.buffer;
    let position = this.position;
    while (value > 0x7f) {
      buffer[position++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    buffer[position++] = value;
    this.position = position;
  }

  private varint64(value: bigint): void {
    this.ensure(10);
    let remaining = value;
    while (remaining > 0x7fn) {
      this.buffer[this.position++] = Number(remaining & 0x7fn) | 0x80;
      remaining >>= 7n;
    }
    this.buffer[this.position++] = Number(remaining);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    if (typeof value === 'bigint') this.varint64(BigInt.asUintN(64, value));
    else this.varint(value);
    return this;
  }

  /** int64 as a varint: negative values take ten bytes (two's complement), as protobuf says. */
  int64(field: number, value: number | bigint): this {
    return this.uint(field, value);
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  fixed32(field: number, value: number): this {
    this.tag(field, 5);
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.position);
    this.position += 4;
    return this;
  }

  fixed64(field: number, value: bigint | number): this {
    this.tag(field, 1);
    this.ensure(8);
    if (typeof value === 'bigint') {
      this.buffer.writeBigUInt64LE(BigInt.asUintN(64, value), this.position);
    } else {
      this.buffer.writeUInt32LE(value % 0x100000000 >>> 0, this.position);
      this.buffer.writeUInt32LE(Math.floor(value / 0x100000000) >>> 0, this.position + 4);
    }
    this.position += 8;
    return this;
  }

  /**
   * An HrTime `[seconds, nanoseconds]` as fixed64 nanoseconds, exactly: seconds × 10^9 passes
   * 2^53, so seconds is split in 16-bit halves and the 32-bit words are summed with carries.
   */
  hrTime(field: number, time: readonly [number, number]): this {
    const [seconds, nanos] = time;
    const low16 = seconds % 0x10000;
    const high = Math.floor(seconds / 0x10000);
    const fromLow = low16 * 1e9 + nanos; // < 2^47
    const fromHigh = high * 1e9; // contributes fromHigh × 2^16
    const lowSum = fromLow + (fromHigh % 0x10000) * 0x10000; // < 2^48
    const lowWord = lowSum % 0x100000000;
    const highWord = Math.floor(fromHigh / 0x10000) + Math.floor(lowSum / 0x100000000);
    this.tag(field, 1);
    this.ensure(8);
    this.buffer.writeUInt32LE(lowWord >>> 0, this.position);
    this.buffer.writeUInt32LE(highWord >>> 0, this.position + 4);
    this.position += 8;
    return this;
  }

  /** Two's complement in 64 bits, which `fixed64` already writes. */
  sfixed64(field: number, value: bigint): this {
    return this.fixed64(field, value);
  }

  double(field: number, value: number): this {
    this.tag(field, 1);
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.position);
    this.position += 8;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.raw(value);
    return this;
  }

  /** A hex string (trace or span ID) as bytes; anything not hex becomes zero bytes. */
  hexBytes(field: number, hex: string): this {
    this.tag(field, 2);
    const size = hex.length >>> 1;
    this.varint(size);
    this.ensure(size);
    const written = this.buffer.write(hex, this.position, size, 'hex');
    if (written < size) this.buffer.fill(0, this.position, this.position + size);
    this.position += size;
    return this;
  }

  string(field: number, value: string): this {
    this.tag(field, 2);
    if (value.length * 3 < 0x80) {
      // At most 127 bytes of UTF-8: one length byte, filled in after writing.
      this.ensure(1 + value.length * 3);
      const written = this.buffer.write(value, this.position + 1, 'utf8');
      this.buffer[this.position] = written;
      this.position += 1 + written;
      return this;
    }
    const size = Buffer.byteLength(value, 'utf8');
    this.varint(size);
    this.ensure(size);
    this.position += this.buffer.write(value, this.position, size, 'utf8');
    return this;
  }

  /** Bytes that are already protobuf (a pre-encoded field or message). */
  raw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
    return this;
  }

  /** Opens a length-delimited field; returns what `end` needs to close it. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.position++;
  }

  end(start: number): void {
    const length = this.position - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    let extra = 0;
    for (let rest = length; rest >= 0x80; rest = Math.floor(rest / 0x80)) extra++;
    this.ensure(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.position);
    const end = this.position + extra;
    this.position = start;
    this.varint(length);
    this.position = end;
  }

  message(field: number, write: (writer: this) => void): this {
    const start = this.begin(field);
    write(this);
    this.end(start);
    return this;
  }

  packedFixed64(field: number, values: readonly bigint[]): this {
    const start = this.begin(field);
    this.ensure(values.length * 8);
    for (const value of values) {
      this.buffer.writeBigUInt64LE(BigInt.asUintN(64, value), this.position);
      this.position += 8;
    }
    this.end(start);
    return this;
  }

  packedDouble(field: number, values: readonly number[]): this {
    const start = this.begin(field);
    this.ensure(values.length * 8);
    for (const value of values) {
      this.buffer.writeDoubleLE(value, this.position);
      this.position += 8;
    }
    this.end(start);
    return this;
  }
}
