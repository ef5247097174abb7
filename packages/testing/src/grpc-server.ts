import type { Http2Server, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { createSecureServer, createServer } from 'node:http2';
import { Writer } from 'protobufjs';
import type { Fault, ReceivedRequest, ReceiverOptions, Signal } from './types';

/** The three collector services' Export methods (opentelemetry-proto). */
const METHOD_SIGNALS: Record<string, Signal> = {
  '/opentelemetry.proto.collector.trace.v1.TraceService/Export': 'traces',
  '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export': 'metrics',
  '/opentelemetry.proto.collector.logs.v1.LogsService/Export': 'logs',
};

const OK = 0;
const UNKNOWN = 2;
const INTERNAL = 13;
const UNIMPLEMENTED = 12;
const UNAVAILABLE = 14;

/** gRPC's own table for the status a client reports when an HTTP status comes back. */
export function grpcStatusForHttp(status: number): number {
  if (status < 300) return OK;
  if (status === 400) return INTERNAL;
  if (status === 401) return 16;
  if (status === 403) return 7;
  if (status === 404) return UNIMPLEMENTED;
  if (status === 429 || status === 502 || status === 503 || status === 504) return UNAVAILABLE;
  return UNKNOWN;
}

export interface GrpcServerHooks {
  record(signal: Signal, request: Omit<ReceivedRequest, 'signal' | 'body' | 'fault'>, raw: Buffer): { decoded: boolean; fault?: Fault };
  hanging: Set<ServerHttp2Stream>;
}

/**
 * OTLP/gRPC on Node's own HTTP/2 server: gRPC is length-prefixed messages on an HTTP/2 stream
 * with the status in trailers, so faults (a status with RetryInfo, a delay, a hang, a reset
 * connection) can be made exactly, without a gRPC library's server in the way.
 */
export function createGrpcServer(hooks: GrpcServerHooks, tls: ReceiverOptions['tls']): Http2Server {
  const server = tls
    ? createSecureServer({ key: tls.key, cert: tls.cert, ca: tls.ca, requestCert: Boolean(tls.ca), rejectUnauthorized: Boolean(tls.ca) })
    : createServer();
  server.on('stream', (stream, headers) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => handle(hooks, stream, headers, Buffer.concat(chunks)));
    stream.on('error', () => undefined);
  });
  return server as Http2Server;
}

function handle(hooks: GrpcServerHooks, stream: ServerHttp2Stream, headers: IncomingHttpHeaders, raw: Buffer): void {
  const path = String(headers[':path'] ?? '');
  const signal = METHOD_SIGNALS[path];
  if (!signal) return endCall(stream, UNIMPLEMENTED, `unknown method ${path}`);
  const message = readMessage(raw);
  if (!message) return endCall(stream, INTERNAL, 'malformed gRPC message');
  const metadata: Record<string, string | string[] | undefined> = {};
  for (const [key, value] of Object.entries(headers)) if (!key.startsWith(':')) metadata[key] = value;
  const gzip = message.compressed && headers['grpc-encoding'] === 'gzip';
  const outcome = hooks.record(signal, { path, headers: metadata, contentType: 'protobuf', gzip }, message.payload);
  if (!outcome.decoded) return endCall(stream, INTERNAL, 'could not decode the request');
  const fault = outcome.fault;
  if (fault?.reset) {
    stream.session?.destroy();
    return;
  }
  if (fault?.hang) {
    hooks.hanging.add(stream);
    return;
  }
  const answer = (): void => {
    const code = fault?.grpcStatus ?? grpcStatusForHttp(fault?.status ?? 200);
    if (code !== OK) return endCall(stream, code, `fault ${code}`, fault?.retryAfter);
    if (stream.destroyed) return;
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(OK) }));
    // An empty Export*ServiceResponse: fully successful.
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  };
  if (fault?.delayMillis) setTimeout(answer, fault.delayMillis);
  else answer();
}

/** One length-prefixed message: a compressed flag, a 4-byte big-endian length, the bytes. */
function readMessage(raw: Buffer): { compressed: boolean; payload: Buffer } | undefined {
  if (raw.length < 5) return undefined;
  const length = raw.readUInt32BE(1);
  if (raw.length < 5 + length) return undefined;
  return { compressed: raw[0] === 1, payload: raw.subarray(5, 5 + length) };
}

/** A trailers-only response: the status in the headers, and RetryInfo in the status details when asked. */
function endCall(stream: ServerHttp2Stream, code: number, message: string, retryAfterSeconds?: string): void {
  if (stream.destroyed) return;
  const headers: Record<string, string> = {
    ':status': '200',
    'content-type': 'application/grpc',
    'grpc-status': String(code),
    'grpc-message': encodeURIComponent(message),
  };
  if (retryAfterSeconds !== undefined) headers['grpc-status-details-bin'] = statusWithRetryInfo(code, message, Number(retryAfterSeconds)).toString('base64');
  stream.respond(headers, { endStream: true });
}

/** google.rpc.Status { code, message, details: [Any(google.rpc.RetryInfo { retry_delay })] }. */
function statusWithRetryInfo(code: number, message: string, seconds: number): Buffer {
  const whole = Math.floor(seconds);
  const duration = Writer.create().uint32(8).int64(whole).uint32(16).int32(Math.round((seconds - whole) * 1e9)).finish();
  const retryInfo = Writer.create().uint32(10).bytes(duration).finish();
  const any = Writer.create().uint32(10).string('type.googleapis.com/google.rpc.RetryInfo').uint32(18).bytes(retryInfo).finish();
  return Buffer.from(Writer.create().uint32(8).int32(code).uint32(18).string(message).uint32(26).bytes(any).finish());
}

