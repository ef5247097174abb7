import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { createOtlpHttpTransport, MAX_REQUEST_BYTES } from '../../src/otlp/http-transport';
import { createOtlpGrpcTransport } from '../../src/otlp/grpc-transport';
import { createRetryingTransport } from '../../src/otlp/retrying-transport';
import type { RetryPolicy } from '../../src/otlp/retrying-transport';
import { combineExportFailures } from '../../src/otlp/export-response';

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
    const sender = createRetryingTransport(transport({ url }), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    expect(result.status).toBe('retryable');
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
