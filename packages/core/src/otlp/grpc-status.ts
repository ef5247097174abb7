/**
 * The OTLP/gRPC retry rules: which status codes may be retried, and the delay a server asks
 * for in `google.rpc.RetryInfo` (carried, base64-free, in the `grpc-status-details-bin`
 * trailer as a `google.rpc.Status` whose `details` hold `Any` messages).
 */

/** gRPC status codes, by the numbers the protocol defines. */
export const GRPC_STATUS = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** OTLP: retryable whatever the server says; RESOURCE_EXHAUSTED only when it sends RetryInfo. */
const ALWAYS_RETRYABLE = new Set<number>([
  GRPC_STATUS.CANCELLED,
  GRPC_STATUS.DEADLINE_EXCEEDED,
  GRPC_STATUS.ABORTED,
  GRPC_STATUS.OUT_OF_RANGE,
  GRPC_STATUS.UNAVAILABLE,
  GRPC_STATUS.DATA_LOSS,
]);

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

export interface GrpcRetryDecision {
  retryable: boolean;
  /** The server's RetryInfo delay, when it sent one. */
  retryInMillis?: number;
}

export function classifyGrpcStatus(code: number, statusDetails: Uint8Array | undefined): GrpcRetryDecision {
  const retryInMillis = statusDetails ? readRetryDelayMillis(statusDetails) : undefined;
  if (ALWAYS_RETRYABLE.has(code)) return { retryable: true, retryInMillis };
  if (code === GRPC_STATUS.RESOURCE_EXHAUSTED && retryInMillis !== undefined) return { retryable: true, retryInMillis };
  return { retryable: false };
}

/** The RetryInfo delay in a serialized google.rpc.Status, or undefined when there is none or it does not parse. */
export function readRetryDelayMillis(status: Uint8Array): number | undefined {
  try {
    for (const detail of fields(status)) {
      if (detail.number !== 3 || !detail.bytes) continue;
      let typeUrl = '';
      let value: Uint8Array | undefined;
      for (const part of fields(detail.bytes)) {
        if (part.number === 1 && part.bytes) typeUrl = Buffer.from(part.bytes).toString('utf8');
        if (part.number === 2 && part.bytes) value = part.bytes;
      }
      if (typeUrl !== RETRY_INFO_TYPE || !value) continue;
      let millis = 0;
      for (const info of fields(value)) {
        if (info.number !== 1 || !info.bytes) continue;
        for (const duration of fields(info.bytes)) {
          if (duration.number === 1) millis += Number(duration.varint ?? 0) * 1000;
          if (duration.number === 2) millis += Number(duration.varint ?? 0) / 1e6;
        }
      }
      return millis >= 0 ? millis : undefined;
    }
  } catch {
    // A malformed trailer is the same as none: the status code alone decides.
  }
  return undefined;
}

interface Field {
  number: number;
  varint?: bigint;
  bytes?: Uint8Array;
}

/** The top-level fields of a protobuf message; throws on a truncated one. */
function* fields(message: Uint8Array): Generator<Field> {
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (offset >= message.length || shift > 63n) throw new Error('truncated varint');
      const byte = message[offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (offset < message.length) {
    const key = Number(varint());
    const number = key >>> 3;
    const wireType = key & 7;
    if (wireType === 0) yield { number, varint: varint() };
    else if (wireType === 2) {
      const length = Number(varint());
      if (offset + length > message.length) throw new Error('truncated field');
      yield { number, bytes: message.subarray(offset, offset + length) };
      offset += length;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}
