import { ProtobufWriter, writeAttributes } from '../../src';

/** A reader for the few wire types the checks need: (field, wire type, value) in order. */
function readFields(bytes: Uint8Array): { field: number; wireType: number; value: bigint | Uint8Array }[] {
  const buffer = Buffer.from(bytes);
  const fields: { field: number; wireType: number; value: bigint | Uint8Array }[] = [];
  let position = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buffer[position++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (position < buffer.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wireType = key & 7;
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 1) {
      fields.push({ field, wireType, value: buffer.readBigUInt64LE(position) });
      position += 8;
    } else if (wireType === 5) {
      fields.push({ field, wireType, value: BigInt(buffer.readUInt32LE(position)) });
      position += 4;
    } else if (wireType === 2) {
      const length = Number(varint());
      fields.push({ field, wireType, value: buffer.subarray(position, position + length) });
      position += length;
    } else throw new Error(`unexpected wire type ${wireType}`);
  }
  if (position !== buffer.length) throw new Error('ran past the end');
  return fields;
}

describe('ProtobufWriter', () => {
  it('writes varints at every length boundary, and negative int64 as ten bytes', () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1];
    const writer = new ProtobufWriter(4);
    values.forEach((value, index) => writer.uint(index + 1, value));
    writer.int64(20, -1).int64(21, -(2 ** 40)).uint(22, 2n ** 64n - 1n);
    const fields = readFields(writer.finish());
    expect(fields.map((field) => field.value)).toEqual([...values.map(BigInt), 2n ** 64n - 1n, 2n ** 64n - 2n ** 40n, 2n ** 64n - 1n]);
    expect(fields.map((field) => field.field)).toEqual([...values.map((_, index) => index + 1), 20, 21, 22]);
  });

  it('writes HrTime as exact nanoseconds, past 2^53 and with carries', () => {
    const times: [number, number][] = [[0, 0], [1, 999_999_999], [1_764_000_000, 123_456_789], [4_294_967_295, 999_999_999], [65_535, 999_999_999], [65_536, 0]];
    const writer = new ProtobufWriter();
    for (const time of times) writer.hrTime(7, time);
    expect(readFields(writer.finish()).map((field) => field.value)).toEqual(times.map(([seconds, nanos]) => BigInt(seconds) * 1_000_000_000n + BigInt(nanos)));
  });

  it('writes strings of every length as UTF-8, around the one-byte length limit', () => {
    const strings = ['', 'a', 'x'.repeat(42), 'é'.repeat(42), '€'.repeat(43), 'y'.repeat(127), 'z'.repeat(128), '😀'.repeat(100), 'q'.repeat(70_000)];
    const writer = new ProtobufWriter(8);
    for (const value of strings) writer.string(1, value);
    expect(readFields(writer.finish()).map((field) => Buffer.from(field.value as Uint8Array).toString('utf8'))).toEqual(strings);
  });

  it('moves a nested message up when its length needs more than one byte', () => {
    const writer = new ProtobufWriter(16);
    const outer = writer.begin(1);
    const small = writer.begin(2);
    writer.string(1, 'inner');
    writer.end(small);
    const large = writer.begin(3);
    for (let index = 0; index < 3000; index++) writer.uint(1, index);
    writer.end(large);
    writer.end(outer);
    writer.fixed64(4, 2n ** 63n + 5n);
    const [outerField, trailer] = readFields(writer.finish());
    expect(trailer).toEqual({ field: 4, wireType: 1, value: 2n ** 63n + 5n });
    const [smallField, largeField] = readFields(outerField!.value as Uint8Array);
    expect(readFields(smallField!.value as Uint8Array)[0]!.value).toEqual(Buffer.from('inner'));
    expect(readFields(largeField!.value as Uint8Array).map((field) => Number(field.value))).toEqual(Array.from({ length: 3000 }, (_, index) => index));
  });

  it('writes hex IDs as bytes and non-hex as zeros of the same length', () => {
    const writer = new ProtobufWriter();
    writer.hexBytes(1, '0af7651916cd43dd8448eb211c80319c').hexBytes(2, 'zz'.repeat(8));
    const [traceId, spanId] = readFields(writer.finish());
    expect(Buffer.from(traceId!.value as Uint8Array).toString('hex')).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(Buffer.from(spanId!.value as Uint8Array)).toEqual(Buffer.alloc(8));
  });

  it('writes attributes as KeyValue messages, leaving out undefined and null', () => {
    const writer = new ProtobufWriter();
    writeAttributes(writer, 9, { 'http.route': '/orders/:id', retries: 3, ratio: 0.5, ok: true, gone: undefined, none: null, list: ['a', 'b'] });
    const keyValues = readFields(writer.finish()).map((field) => readFields(field.value as Uint8Array));
    expect(keyValues.map(([key]) => Buffer.from(key!.value as Uint8Array).toString())).toEqual(['http.route', 'retries', 'ratio', 'ok', 'list']);
    const anyValues = keyValues.map(([, value]) => readFields(value!.value as Uint8Array)[0]!);
    expect(anyValues.map((any) => any.field)).toEqual([1, 3, 4, 2, 5]);
    expect(anyValues[1]!.value).toBe(3n);
    expect(Buffer.from(new BigUint64Array([anyValues[2]!.value as bigint]).buffer).readDoubleLE(0)).toBe(0.5);
  });
});
