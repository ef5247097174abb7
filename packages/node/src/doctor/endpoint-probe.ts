import * as http2 from 'node:http2';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { describeError, redactUrl } from '@threadline/core';
import type { EndpointRow, ProbeTarget } from './report-types';

export const DEFAULT_PROBE_TIMEOUT_MILLIS = 2000;

const GRPC_PATHS: Record<ProbeTarget['signal'], string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};
/** What a client speaking HTTP/2 sends first (RFC 9113 §3.4): the preface and an empty SETTINGS frame. */
const HTTP2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);
const FRAME_SETTINGS = 4;
const FRAME_GOAWAY = 7;
const GRPC_STATUS: Record<number, string> = { 7: 'PERMISSION_DENIED', 12: 'UNIMPLEMENTED', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED' };

type Outcome = Pick<EndpointRow, 'status' | 'detail'>;
type FirstBytes = { bytes: Buffer } | { error: NodeJS.ErrnoException } | { timeout: true };

/** Header lines safe to write as they are (a value with CR or LF is left out). */
function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .filter(([name, value]) => !/[\r\n:]/.test(name) && !/[\r\n]/.test(value))
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

/** What the exporter would send first: an empty export over HTTP/1.1, or the HTTP/2 preface for gRPC. */
function firstMessage(target: ProbeTarget, url: URL): Buffer {
  if (target.protocol === 'grpc') return HTTP2_PREFACE;
  const json = target.protocol === 'http/json';
  // An empty protobuf message is a valid export of nothing; `{}` is the same in OTLP/JSON.
  const body = json ? '{}' : '';
  const request =
    `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n` +
    `Content-Type: ${json ? 'application/json' : 'application/x-protobuf'}\r\nContent-Length: ${body.length}\r\n` +
    `Connection: close\r\n${headerLines(target.headers)}\r\n${body}`;
  return Buffer.from(request);
}

/** Connects, writes `message` and waits for the first bytes of the answer (or the end of the connection). */
function exchange(url: URL, message: Buffer, alpn: string, timeoutMillis: number): Promise<FirstBytes> {
  return new Promise((resolve) => {
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const socket = secure ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: [alpn] }) : net.connect({ host, port });
    let received = Buffer.alloc(0);
    const finish = (result: FirstBytes): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(received.length > 0 ? { bytes: received } : { timeout: true }), timeoutMillis);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(message));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 9 && (received.includes('\r\n') || !received.subarray(0, 5).equals(Buffer.from('HTTP/')))) finish({ bytes: received });
    });
    socket.on('end', () => finish({ bytes: received }));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(received.length > 0 ? { bytes: received } : { error }));
  });
}

function isHttp2Frame(bytes: Buffer): boolean {
  return bytes.length >= 9 && (bytes[3] === FRAME_SETTINGS || bytes[3] === FRAME_GOAWAY) && !bytes.subarray(0, 5).equals(Buffer.from('HTTP/'));
}

function httpStatus(bytes: Buffer): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(bytes.subarray(0, 64).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

function connectionFailure(error: NodeJS.ErrnoException, where: string): Outcome {
  if (error.code === 'ECONNREFUSED') return { status: 'refused', detail: `nothing listens on ${where} (ECONNREFUSED)` };
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return { status: 'unreachable', detail: `${where}: the host name does not resolve (${error.code})` };
  return { status: 'unreachable', detail: `${where}: ${error.code ?? describeError(error)}` };
}

function classifyHttpAnswer(status: number, url: URL, target: ProbeTarget): Outcome {
  if (status >= 200 && status < 300) return { status: 'answers', detail: `HTTP ${status} to an empty export` };
  if (status === 401 || status === 403) return { status: 'rejected', detail: `HTTP ${status}: the collector refuses the credentials sent (headers)` };
  if (status === 404) return { status: 'rejected', detail: `HTTP 404: no OTLP receiver at ${url.pathname} (an endpoint ending in /v1/${target.signal} is expected)` };
  if (status === 415) return { status: 'rejected', detail: `HTTP 415: the collector does not take ${target.protocol}` };
  return { status: 'rejected', detail: `HTTP ${status} to an empty export` };
}

/** A real OTLP/gRPC call with an empty request: the status says whether the service is there. */
function grpcExport(url: URL, target: ProbeTarget, timeoutMillis: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const session = http2.connect(url.origin);
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ status: 'no answer', detail: `no gRPC answer within ${timeoutMillis} ms` }), timeoutMillis);
    session.on('error', (error) => finish({ status: 'unreachable', detail: `gRPC: ${describeError(error)}` }));
    const stream = session.request({ ':method': 'POST', ':path': GRPC_PATHS[target.signal], 'content-type': 'application/grpc', te: 'trailers', ...target.headers });
    const onStatus = (headers: http2.IncomingHttpHeaders): void => {
      const raw = headers['grpc-status'];
      if (raw === undefined) return;
      const code = Number(raw);
      if (code === 0) return finish({ status: 'answers', detail: 'gRPC status OK to an empty export' });
      const name = GRPC_STATUS[code] ?? `status ${code}`;
      const why = code === 12 ? ` (no ${GRPC_PATHS[target.signal].split('/')[1]} there)` : code === 16 || code === 7 ? ' (the credentials sent are refused)' : '';
      finish({ status: 'rejected', detail: `gRPC ${name}${why}` });
    };
    // The answer's body is read and dropped, so its trailers (where the status is) arrive.
    stream.resume();
    stream.on('response', onStatus);
    stream.on('trailers', onStatus);
    stream.on('error', (error) => finish({ status: 'unreachable', detail: `gRPC: ${describeError(error)}` }));
    stream.on('close', () => finish({ status: 'rejected', detail: 'the gRPC call ended without a status' }));
    // A gRPC message: not compressed, length 0 (an empty Export*ServiceRequest).
    stream.end(Buffer.alloc(5));
  });
}

/**
 * One probe of a signal's endpoint, as its exporter would reach it: for OTLP/HTTP an empty
 * export over HTTP/1.1, for OTLP/gRPC the HTTP/2 preface then an empty Export call. The first
 * bytes of the answer tell a refused port, a port that speaks the other protocol (an HTTP/2
 * SETTINGS frame to an HTTP/1.1 request, or an HTTP/1.1 status line to the HTTP/2 preface), and
 * an answer that rejects the export. Never rejects.
 */
export async function probeEndpoint(target: ProbeTarget, timeoutMillis = DEFAULT_PROBE_TIMEOUT_MILLIS): Promise<EndpointRow> {
  const row = { signal: target.signal, url: redactUrl(target.url), protocol: target.protocol };
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    return { ...row, status: 'unreachable', detail: 'not a URL' };
  }
  const where = url.host;
  const grpc = target.protocol === 'grpc';
  const answer = await exchange(url, firstMessage(target, url), grpc ? 'h2' : 'http/1.1', timeoutMillis);
  if ('timeout' in answer) return { ...row, status: 'no answer', detail: `${where} accepted the connection but sent nothing within ${timeoutMillis} ms` };
  if ('error' in answer) return { ...row, ...connectionFailure(answer.error, where) };
  const { bytes } = answer;
  const status = httpStatus(bytes);
  if (grpc) {
    if (status !== undefined) return { ...row, status: 'protocol mismatch', detail: `${where} speaks HTTP/1.1 (an OTLP/HTTP port, usually 4318), not gRPC: it answered the HTTP/2 preface with HTTP ${status}` };
    if (!isHttp2Frame(bytes)) return { ...row, status: 'no answer', detail: bytes.length === 0 ? `${where} closed the connection without answering` : `${where} answered with neither HTTP/1.1 nor HTTP/2` };
    return { ...row, ...(await grpcExport(url, target, timeoutMillis)) };
  }
  if (status !== undefined) return { ...row, ...classifyHttpAnswer(status, url, target) };
  if (isHttp2Frame(bytes)) return { ...row, status: 'protocol mismatch', detail: `${where} speaks HTTP/2 (an OTLP/gRPC port, usually 4317), not OTLP/HTTP: it answered an HTTP/1.1 request with an HTTP/2 frame` };
  return { ...row, status: 'no answer', detail: bytes.length === 0 ? `${where} closed the connection without answering` : `${where} answered with something that is not HTTP/1.1` };
}
