import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Http2Server, ServerHttp2Stream } from 'node:http2';
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createGrpcServer } from './grpc-server';
import { OTLP_SIGNAL_PATHS, decodeRequestBody, flattenLogRecords, flattenMetrics, flattenSpans } from './decode';
import type { Fault, ReceivedLogRecord, ReceivedMetric, ReceivedRequest, ReceivedSpan, ReceiverOptions, Signal } from './types';
import { waitFor } from './wait-for';

/**
 * An OTLP receiver on a loopback port: OTLP/HTTP (protobuf and JSON), or with
 * `protocol: 'grpc'` OTLP/gRPC (the three collector services, plaintext or TLS). It accepts
 * gzip or not, for traces, metrics and logs, keeps everything it decoded for assertions, and can be told to
 * misbehave (see `Fault`). A body it cannot decode is answered 400 and recorded in `errors`.
 */
export class OtlpReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly errors: string[] = [];
  private server: Server | Http2Server | undefined;
  private fault: Fault | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly hangingStreams = new Set<ServerHttp2Stream>();

  constructor(private readonly options: ReceiverOptions = {}) {}

  /** Starts listening; resolves with the base URL to use as `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  async start(): Promise<string> {
    const server: Server | Http2Server =
      this.options.protocol === 'grpc'
        ? createGrpcServer({ record: (signal, request, raw) => this.record(signal, request, raw), hanging: this.hangingStreams }, this.options.tls)
        : createServer((request, response) => this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  /** The endpoint: `http://127.0.0.1:<port>`, or `https://localhost:<port>` for gRPC over TLS. */
  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('receiver is not listening');
    return this.options.tls ? `https://localhost:${address.port}` : `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    for (const stream of this.hangingStreams) stream.destroy();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Applies `fault` to the next requests (all of them, or `fault.times`); `undefined` clears it. */
  setFault(fault: Fault | undefined): void {
    this.fault = fault ? { ...fault } : undefined;
  }

  clear(): void {
    this.requests.length = 0;
    this.errors.length = 0;
  }

  /** Spans from requests the receiver accepted (answered 2xx). */
  spans(): ReceivedSpan[] {
    return this.accepted('traces').flatMap((request) => flattenSpans(request.body));
  }

  logRecords(): ReceivedLogRecord[] {
    return this.accepted('logs').flatMap((request) => flattenLogRecords(request.body));
  }

  metrics(): ReceivedMetric[] {
    return this.accepted('metrics').flatMap((request) => flattenMetrics(request.body));
  }

  waitForSpans(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMillis = 10_000): Promise<ReceivedSpan[]> {
    return waitFor(() => {
      const spans = this.spans();
      return predicate(spans) ? spans : undefined;
    }, timeoutMillis, () => `spans received so far: ${this.spans().map((span) => span.name).join(', ') || 'none'}`);
  }

  waitForRequests(count: number, timeoutMillis = 10_000): Promise<ReceivedRequest[]> {
    return waitFor(() => (this.requests.length >= count ? this.requests : undefined), timeoutMillis,
      () => `${this.requests.length} of ${count} requests received`);
  }

  private accepted(signal: Signal): ReceivedRequest[] {
    return this.requests.filter((request) => request.signal === signal && (request.fault?.status ?? 200) < 300 && !request.fault?.reset && !request.fault?.hang && !request.fault?.trickle);
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const signal = OTLP_SIGNAL_PATHS[request.url?.split('?')[0] ?? ''];
    if (request.method !== 'POST' || !signal) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.respond(signal, request, response, Buffer.concat(chunks)));
  }

  private respond(signal: Signal, request: IncomingMessage, response: ServerResponse, raw: Buffer): void {
    const gzip = request.headers['content-encoding'] === 'gzip';
    const isJson = (request.headers['content-type'] ?? '').startsWith('application/json');
    const outcome = this.record(signal, { path: request.url ?? '', headers: { ...request.headers }, contentType: isJson ? 'json' : 'protobuf', gzip }, raw);
    if (!outcome.decoded) {
      response.writeHead(400).end();
      return;
    }
    const fault = outcome.fault;
    if (fault?.reset) {
      request.socket.destroy();
      return;
    }
    if (fault?.hang) {
      this.hanging.add(response);
      return;
    }
    if (fault?.trickle) {
      this.trickle(response);
      return;
    }
    const send = (): void => {
      const status = fault?.status ?? 200;
      const headers: Record<string, string> = { 'Content-Type': isJson ? 'application/json' : 'application/x-protobuf' };
      if (fault?.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter;
      let body: Buffer | string | undefined = isJson ? '{}' : undefined;
      if (fault?.partialSuccess) body = partialSuccessBody(signal, fault.partialSuccess, isJson);
      if (fault?.responseBytes !== undefined) {
        body = Buffer.alloc(fault.responseBytes, 0x20);
        if (fault.gzipResponse) {
          body = gzipSync(body);
          headers['Content-Encoding'] = 'gzip';
        }
      }
      // An empty body is a valid, fully successful Export*ServiceResponse in both encodings.
      response.writeHead(status, headers).end(body);
    };
    if (fault?.delayMillis) setTimeout(send, fault.delayMillis);
    else send();
  }

  /**
   * Decodes and keeps one export request (whatever carried it), and takes the fault to answer
   * it with. A body that does not decode is recorded in `errors` instead.
   */
  private record(signal: Signal, request: Omit<ReceivedRequest, 'signal' | 'body' | 'fault'>, raw: Buffer): { decoded: boolean; fault?: Fault } {
    const fault = this.takeFault();
    let body: Record<string, unknown>;
    try {
      body = decodeRequestBody(signal, raw, { gzip: request.gzip, json: request.contentType === 'json' });
    } catch (error) {
      this.errors.push(`${signal}: ${error instanceof Error ? error.message : String(error)}`);
      return { decoded: false };
    }
    this.requests.push({ signal, ...request, fault, body });
    return { decoded: true, fault };
  }

  /** Headers at once, then one byte of a 1 KiB body a second until done or stopped. */
  private trickle(response: ServerResponse): void {
    this.hanging.add(response);
    response.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': '1024' });
    response.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      if (response.destroyed || sent >= 1024) {
        clearInterval(timer);
        if (!response.destroyed) response.end();
        this.hanging.delete(response);
        return;
      }
      response.write(' ');
      sent++;
    }, 1000);
    response.on('close', () => clearInterval(timer));
  }

  private takeFault(): Fault | undefined {
    const fault = this.fault;
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.fault = undefined;
    }
    return { ...fault };
  }
}

// ExportTrace/Metrics/LogsServiceResponse: field 1 partial_success { 1: rejected count, 2: error_message }.
const REJECTED_FIELD: Record<Signal, string> = { traces: 'rejectedSpans', metrics: 'rejectedDataPoints', logs: 'rejectedLogRecords' };

function partialSuccessBody(signal: Signal, partial: { rejected: number; message: string }, isJson: boolean): Buffer | string {
  if (isJson) return JSON.stringify({ partialSuccess: { [REJECTED_FIELD[signal]]: partial.rejected, errorMessage: partial.message } });
  const message = Buffer.from(partial.message);
  const inner = Buffer.concat([Buffer.from([0x08]), varint(partial.rejected), Buffer.from([0x12]), varint(message.length), message]);
  return Buffer.concat([Buffer.from([0x0a]), varint(inner.length), inner]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** Creates and starts a receiver. */
export async function startOtlpReceiver(options: ReceiverOptions = {}): Promise<OtlpReceiver> {
  const receiver = new OtlpReceiver(options);
  await receiver.start();
  return receiver;
}
