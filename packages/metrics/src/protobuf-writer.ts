/**
 * A minimal protobuf writer: the wire types OTLP metrics need (varint, 64-bit, length-delimited).
 * Nested messages are written into their own writer and embedded, so lengths are always known.
 */
export class ProtobufWriter {
  private chunks: Buffer[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  finish(): Uint8Array {
    return Buffer.concat(this.chunks, this.size);
  }

  private push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.size += buffer.length;
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt(field * 8 + wireType));
  }

  private varint(value: bigint): void {
    const bytes: number[] = [];
    let remaining = BigInt.asUintN(64, value);
    do {
      let byte = Number(remaining & 0x7fn);
      remaining >>= 7n;
      if (remaining > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (remaining > 0n);
    this.push(Buffer.from(bytes));
  }

  uint(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  int64(field: number, value: number | bigint): this {
    return this.uint(field, BigInt.asUintN(64, BigInt(value)));
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  fixed64(field: number, value: bigint): this {
    this.tag(field, 1);
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt.asUintN(64, value));
    this.push(buffer);
    return this;
  }

  sfixed64(field: number, value: bigint): this {
    return this.fixed64(field, BigInt.asUintN(64, value));
  }

  double(field: number, value: number): this {
    this.tag(field, 1);
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleLE(value);
    this.push(buffer);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(value.length));
    this.push(Buffer.from(value));
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  message(field: number, write: (writer: ProtobufWriter) => void): this {
    const nested = new ProtobufWriter();
    write(nested);
    return this.bytes(field, nested.finish());
  }

  packedFixed64(field: number, values: readonly bigint[]): this {
    const buffer = Buffer.alloc(values.length * 8);
    values.forEach((value, index) => buffer.writeBigUInt64LE(BigInt.asUintN(64, value), index * 8));
    return this.bytes(field, buffer);
  }

  packedDouble(field: number, values: readonly number[]): this {
    const buffer = Buffer.alloc(values.length * 8);
    values.forEach((value, index) => buffer.writeDoubleLE(value, index * 8));
    return this.bytes(field, buffer);
  }
}
