import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { createOtlpHttpTransport, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from '../../src/otlp/http-transport';
import { classifyConnectionError, classifyHttpResponse, retryDelayMillis } from '../../src/otlp/retry-policy';
import { createOtlpGrpcTransport } from '../../src/otlp/grpc-transport';
import { createRetryingTransport } from '../../src/otlp/retrying-transport';
import type { RetryPolicy } from '../../src/otlp/retrying-transport';
import { combineExportFailures } from '../../src/otlp/export-response';
import type { ExporterTransport } from '../../src/otlp/export-response';

// An empty ExportTraceServiceRequest is a valid protobuf body (zero bytes).
const EMPTY_REQUEST = new Uint8Array(0);
const FAST_RETRIES: RetryPolicy = { maxAttempts: 5, initialBackoffMillis: 20, maxBackoffMillis: 50, backoffMultiplier: 1.5, jitter: 0.2 };

// The OTLP retry rules are the same over both transports; the receiver answers a gRPC call with
// the status gRPC maps each HTTP status to (429, 502, 503, 504: UNAVAILABLE; 400: INTERNAL).
describe.each(['http', 'grpc'] as const)('OTLP/%s transport', (protocol) => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver({ protocol });
  });
  afterEach(async () => {
    await receiver.stop();
  });

  const transport = (overrides: { compression?: 'gzip' | 'none'; url?: string } = {}) =>
    protocol === 'grpc'
      ? createOtlpGrpcTransport({ signal: 'traces', url: overrides.url ?? receiver.url, headers: { 'x-api-key': 'secret' }, compression: overrides.compression ?? 'none', tls: {} })
      : createOtlpHttpTransport({
          url: overrides.url ?? `${receiver.url}/v1/traces`,
          contentType: 'application/x-protobuf',
          headers: { 'x-api-key': 'secret' },
          compression: overrides.compression ?? 'none',
        });

  it('posts with the content type, custom headers, a User-Agent and gzip when asked', async () => {
    const sender = transport({ compression: 'gzip' });
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('success');
    const [request] = receiver.requests;
    expect(request?.headers['content-type']).toBe(protocol === 'grpc' ? 'application/grpc' : 'application/x-protobuf');
    expect(request?.headers['x-api-key']).toBe('secret');
    expect(request?.headers['user-agent']).toMatch(/^threadline\/\d/);
    expect(request?.gzip).toBe(true);
    expect(receiver.errors).toEqual([]);
  });

  it.each([429, 502, 503, 504])('retries HTTP %i and succeeds once the backend recovers', async (status) => {
    receiver.setFault({ status, times: 2 });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('success');
    expect(receiver.requests).toHaveLength(3);
  });

  it.each([400, 401, 404, 500])('never retries HTTP %i', async (status) => {
    receiver.setFault({ status });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('failure');
    expect(receiver.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After says', async () => {
    receiver.setFault({ status: 503, retryAfter: '1', times: 1 });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const startedAt = Date.now();
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('success');
    // The backoff alone would retry within 50 ms; only Retry-After explains a second's wait.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
  });

  it('gives up when Retry-After points past the export timeout', async () => {
    receiver.setFault({ status: 429, retryAfter: '30' });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 2000);
    sender.shutdown();
    expect(result.status).toBe('retryable');
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries a reset connection', async () => {
    receiver.setFault({ reset: true, times: 1 });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('success');
    expect(receiver.requests).toHaveLength(2);
  });

  it('retries a refused connection until the attempts run out', async () => {
    const closed = await startOtlpReceiver({ protocol });
    const url = protocol === 'grpc' ? closed.url : `${closed.url}/v1/traces`;
    await closed.stop();
    const inner = transport({ url });
    const attempts: string[] = [];
    const counting: ExporterTransport = {
      send: async (data, timeoutMillis) => {
        const result = await inner.send(data, timeoutMillis);
        attempts.push(result.status);
        return result;
      },
      shutdown: () => inner.shutdown(),
    };
    const sender = createRetryingTransport(counting, FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('retryable');
    expect(attempts).toEqual(Array(FAST_RETRIES.maxAttempts).fill('retryable'));
  });

  it('ends a request that hangs at the timeout', async () => {
    receiver.setFault({ hang: true });
    const sender = transport();
    const result = await sender.send(EMPTY_REQUEST, 300);
    sender.shutdown();
    expect(result.status).not.toBe('success');
    expect(result.status === 'success' ? '' : String(result.error?.message)).toContain('timed out');
  });

  it('refuses a body over the request limit without sending it', async () => {
    const sender = transport();
    const result = await sender.send(new Uint8Array(MAX_REQUEST_BYTES + 1), 5000);
    sender.shutdown();
    expect(result.status).toBe('failure');
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('combineExportFailures', () => {
  it('adds the counts and keeps the first reason given, from exporters or summaries', () => {
    expect(combineExportFailures([])).toEqual({ count: 0, lastError: undefined });
    expect(combineExportFailures([
      { failedExports: 0, lastError: undefined },
      { count: 2, lastError: '' },
      { failedExports: 3, lastError: 'HTTP 400' },
      { count: 1, lastError: 'timed out' },
    ])).toEqual({ count: 6, lastError: 'HTTP 400' });
  });
});

describe('OTLP/HTTP transport against a misbehaving collector', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.stop();
  });
  const transport = () =>
    createOtlpHttpTransport({ url: `${receiver.url}/v1/traces`, contentType: 'application/x-protobuf', headers: {}, compression: 'none' });

  it('ends an export, retries included, within its timeout when the answer trickles in a byte a second', async () => {
    receiver.setFault({ trickle: true });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const startedAt = Date.now();
    const result = await sender.send(EMPTY_REQUEST, 1500);
    const took = Date.now() - startedAt;
    sender.shutdown();
    expect(result.status).not.toBe('success');
    expect(receiver.requests.length).toBeGreaterThanOrEqual(1);
    expect(took).toBeGreaterThanOrEqual(1400);
    // Generous for a loaded machine, yet far below the 1024 s the trickled body would take.
    expect(took).toBeLessThan(4000);
  });

  it('ends within its timeout when every attempt meets a trickling answer after a retryable one', async () => {
    receiver.setFault({ status: 503, times: 1 });
    // The retry waits 300 ms, so the trickle is set before it goes out (with 20 ms it could
    // reach a receiver with no fault yet and succeed).
    const sender = createRetryingTransport(transport(), { ...FAST_RETRIES, initialBackoffMillis: 300, maxBackoffMillis: 300, jitter: 0 });
    const first = sender.send(EMPTY_REQUEST, 1200);
    await receiver.waitForRequests(1);
    receiver.setFault({ trickle: true });
    const startedAt = Date.now();
    const result = await first;
    sender.shutdown();
    expect(result.status).not.toBe('success');
    expect(receiver.requests.map((request) => request.fault?.status ?? (request.fault?.trickle ? 'trickle' : 200))).toEqual([503, 'trickle']);
    expect(Date.now() - startedAt).toBeLessThan(3500);
  });

  it.each([
    ['plain', false],
    ['gzip', true],
  ])('refuses a %s response body over 4 MiB once decompressed, without retrying', async (_name, gzipResponse) => {
    receiver.setFault({ responseBytes: MAX_RESPONSE_BYTES + 1, gzipResponse });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('failure');
    expect(result.status === 'failure' ? result.error.message : '').toContain('exceeds');
    expect(receiver.requests).toHaveLength(1);
  });

  it('reads a response body of exactly 4 MiB', async () => {
    receiver.setFault({ responseBytes: MAX_RESPONSE_BYTES, gzipResponse: true });
    const result = await transport().send(EMPTY_REQUEST, 5000);
    expect(result.status).toBe('success');
    expect(result.status === 'success' ? result.data?.byteLength : 0).toBe(MAX_RESPONSE_BYTES);
  });

  it('never retries a partial success', async () => {
    receiver.setFault({ partialSuccess: { rejected: 3, message: 'too old' } });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('success');
    expect(Buffer.from(result.status === 'success' ? result.data ?? [] : []).toString('latin1')).toContain('too old');
    expect(receiver.requests).toHaveLength(1);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const inTwoSeconds = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
    receiver.setFault({ status: 429, retryAfter: inTwoSeconds.toUTCString(), times: 1 });
    const sender = createRetryingTransport(transport(), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 8000);
    sender.shutdown();
    expect(result.status).toBe('success');
    expect(receiver.requests).toHaveLength(2);
    expect(Date.now()).toBeGreaterThanOrEqual(inTwoSeconds.getTime() - 50);
  });
});

describe('retry policy', () => {
  const policy: RetryPolicy = { maxAttempts: 5, initialBackoffMillis: 100, maxBackoffMillis: 300, backoffMultiplier: 2, jitter: 0.2 };

  it('backs off exponentially up to the cap, with jitter on both sides', () => {
    expect([1, 2, 3, 4].map((retry) => retryDelayMillis(policy, retry, undefined, () => 0.5))).toEqual([100, 200, 300, 300]);
    expect(retryDelayMillis(policy, 1, undefined, () => 0)).toBeCloseTo(80);
    expect(retryDelayMillis(policy, 1, undefined, () => 0.999999)).toBeCloseTo(120);
  });

  it('lets a server\'s Retry-After win over the backoff', () => {
    expect(retryDelayMillis(policy, 1, 7000)).toBe(7000);
  });

  it.each([
    [200, 'success'],
    [204, 'success'],
    [429, 'retryable'],
    [502, 'retryable'],
    [503, 'retryable'],
    [504, 'retryable'],
    [400, 'failure'],
    [401, 'failure'],
    [413, 'failure'],
    [500, 'failure'],
    [501, 'failure'],
  ])('classifies HTTP %i as %s', (status, expected) => {
    expect(classifyHttpResponse(status, undefined, undefined).status).toBe(expected);
  });

  it('reads Retry-After in seconds and as a date on retryable statuses only', () => {
    const now = Date.parse('Tue, 01 Dec 2026 10:00:00 GMT');
    expect(classifyHttpResponse(503, '3', undefined, now)).toMatchObject({ status: 'retryable', retryInMillis: 3000 });
    expect(classifyHttpResponse(429, 'Tue, 01 Dec 2026 10:00:05 GMT', undefined, now)).toMatchObject({ status: 'retryable', retryInMillis: 5000 });
    expect(classifyHttpResponse(400, '3', undefined, now)).not.toHaveProperty('retryInMillis');
  });

  it('retries lost and refused connections, not other errors', () => {
    const error = (code: string | undefined, message = 'x') => Object.assign(new Error(message), { code });
    expect(classifyConnectionError(error('ECONNREFUSED')).status).toBe('retryable');
    expect(classifyConnectionError(error('ECONNRESET')).status).toBe('retryable');
    expect(classifyConnectionError(error(undefined, 'socket hang up')).status).toBe('retryable');
    expect(classifyConnectionError(error('ERR_TLS_CERT_ALTNAME_INVALID')).status).toBe('failure');
  });
});
