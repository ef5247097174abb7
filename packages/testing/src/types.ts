/** Public types of the OTLP receiver, in a shape convenient for assertions. */

export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type AttributeMap = Record<string, AttributeValue>;

export type Signal = 'traces' | 'metrics' | 'logs';

export interface ReceivedRequest {
  signal: Signal;
  /** The URL path over HTTP; the method path over gRPC (`/opentelemetry.proto.collector.trace.v1.TraceService/Export`). */
  path: string;
  /** Over gRPC, the request metadata. */
  headers: Record<string, string | string[] | undefined>;
  contentType: 'protobuf' | 'json';
  gzip: boolean;
  /** The fault the receiver answered with, if any. */
  fault?: Fault;
  /** The decoded OTLP request as protobufjs objects (IDs as hex strings). */
  body: Record<string, unknown>;
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: AttributeMap;
  status: { code: number; message: string };
  events: { name: string; attributes: AttributeMap }[];
  links: { traceId: string; spanId: string; attributes: AttributeMap }[];
  resource: AttributeMap;
  scope: { name: string; version: string };
}

export interface ReceivedLogRecord {
  traceId: string;
  spanId: string;
  flags: number;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: AttributeMap;
  timeUnixNano: bigint;
  resource: AttributeMap;
  scope: { name: string; version: string };
}

export interface ReceivedMetric {
  name: string;
  description: string;
  unit: string;
  /** `sum`, `gauge`, `histogram`, `exponentialHistogram` or `summary`. */
  type: string;
  /** OTLP AggregationTemporality of a sum or histogram: 1 delta, 2 cumulative, 0 when none. */
  aggregationTemporality: number;
  dataPoints: Record<string, unknown>[];
  resource: AttributeMap;
  scope: { name: string; version: string };
}

/**
 * How the receiver misbehaves, for testing exporters: answer with a status (and optional
 * Retry-After), answer late, never answer, drop the connection, trickle the answer, send an
 * oversized (or gzip-bomb) body, or report a partial success. `times` limits how many
 * requests get the fault (default: all until cleared).
 */
export interface Fault {
  /** An HTTP status; over gRPC it becomes the status gRPC maps it to (429, 502-504: UNAVAILABLE). */
  status?: number;
  /** Over gRPC, this status code exactly (wins over `status`). */
  grpcStatus?: number;
  /** Retry-After over HTTP; over gRPC a RetryInfo with this many seconds, in the status details. */
  retryAfter?: string;
  delayMillis?: number;
  hang?: boolean;
  reset?: boolean;
  /** Answer 200, then send the body one byte a second (a collector behind a stalled link). */
  trickle?: boolean;
  /** Answer with a response body of this many bytes (after decompression, when `gzipResponse`). */
  responseBytes?: number;
  /** Gzip the `responseBytes` body (`Content-Encoding: gzip`): small on the wire, large once read. */
  gzipResponse?: boolean;
  /** Answer 200 with an OTLP partial success: this many items rejected, with this message. */
  partialSuccess?: { rejected: number; message: string };
  times?: number;
}

export interface ReceiverOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** `http` (default): OTLP/HTTP; `grpc`: OTLP/gRPC. */
  protocol?: 'http' | 'grpc';
  /** gRPC over TLS with this key and certificate (PEM); `ca` set: clients must present a certificate it signed. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
}
