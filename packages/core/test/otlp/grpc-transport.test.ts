import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { createOtlpGrpcTransport } from '../../src/otlp/grpc-transport';
import { GRPC_STATUS, classifyGrpcStatus } from '../../src/otlp/grpc-status';
import { createRetryingTransport } from '../../src/otlp/retrying-transport';
import type { RetryPolicy } from '../../src/otlp/retrying-transport';
import type { TlsFiles } from '../../src/types';

const EMPTY_REQUEST = new Uint8Array(0);
const FAST_RETRIES: RetryPolicy = { maxAttempts: 5, initialBackoffMillis: 20, maxBackoffMillis: 50, backoffMultiplier: 1.5, jitter: 0.2 };

describe('OTLP/gRPC status codes', () => {
  let receiver: OtlpReceiver;
  beforeEach(async () => {
    receiver = await startOtlpReceiver({ protocol: 'grpc' });
  });
  afterEach(() => receiver.stop());

  const send = async (timeoutMillis = 5000) => {
    const sender = createRetryingTransport(createOtlpGrpcTransport({ signal: 'logs', url: receiver.url, headers: {}, compression: 'none', tls: {} }), FAST_RETRIES);
    const result = await sender.send(EMPTY_REQUEST, timeoutMillis);
    sender.shutdown();
    return result;
  };

  it.each(['CANCELLED', 'DEADLINE_EXCEEDED', 'ABORTED', 'OUT_OF_RANGE', 'UNAVAILABLE', 'DATA_LOSS'] as const)('retries %s', async (name) => {
    receiver.setFault({ grpcStatus: GRPC_STATUS[name], times: 2 });
    expect((await send()).status).toBe('success');
    expect(receiver.requests.map((request) => request.path)).toEqual(Array(3).fill('/opentelemetry.proto.collector.logs.v1.LogsService/Export'));
  });

  it.each(['INVALID_ARGUMENT', 'UNAUTHENTICATED', 'UNIMPLEMENTED', 'INTERNAL', 'UNKNOWN'] as const)('never retries %s', async (name) => {
    receiver.setFault({ grpcStatus: GRPC_STATUS[name] });
    expect((await send()).status).toBe('failure');
    expect(receiver.requests).toHaveLength(1);
  });

  it('retries RESOURCE_EXHAUSTED only when the server sends RetryInfo, after its delay', async () => {
    receiver.setFault({ grpcStatus: GRPC_STATUS.RESOURCE_EXHAUSTED, times: 1 });
    expect((await send()).status).toBe('failure');
    expect(receiver.requests).toHaveLength(1);

    receiver.clear();
    receiver.setFault({ grpcStatus: GRPC_STATUS.RESOURCE_EXHAUSTED, retryAfter: '0.8', times: 1 });
    const startedAt = Date.now();
    expect((await send()).status).toBe('success');
    // The backoff alone would retry within 50 ms; only RetryInfo's delay explains the wait.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(750);
    expect(receiver.requests).toHaveLength(2);
  });

  it('reads no delay from a malformed status details trailer', () => {
    expect(classifyGrpcStatus(GRPC_STATUS.RESOURCE_EXHAUSTED, new Uint8Array([0x1a, 0x05, 0x01]))).toEqual({ retryable: false });
    expect(classifyGrpcStatus(GRPC_STATUS.UNAVAILABLE, new Uint8Array([0xff]))).toEqual({ retryable: true, retryInMillis: undefined });
  });
});

describe('OTLP/gRPC over TLS', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  const pem = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-tls-'));
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=test-ca', '-keyout', pem('ca.key'), '-out', pem('ca.crt'));
    for (const name of ['server', 'client']) {
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name === 'server' ? 'localhost' : 'client'}`, '-keyout', pem(`${name}.key`), '-out', pem(`${name}.csr`));
      const extensions = pem(`${name}.ext`);
      writeFileSync(extensions, name === 'server' ? 'subjectAltName=DNS:localhost\n' : 'extendedKeyUsage=clientAuth\n');
      openssl('x509', '-req', '-in', pem(`${name}.csr`), '-CA', pem('ca.crt'), '-CAkey', pem('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', extensions, '-out', pem(`${name}.crt`));
    }
    receiver = await startOtlpReceiver({
      protocol: 'grpc',
      tls: { key: readFileSync(pem('server.key')), cert: readFileSync(pem('server.crt')), ca: readFileSync(pem('ca.crt')) },
    });
  });
  afterAll(async () => {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (tls: TlsFiles) => {
    const sender = createOtlpGrpcTransport({ signal: 'traces', url: receiver.url, headers: { authorization: 'Bearer t0ken' }, compression: 'gzip', tls });
    const result = await sender.send(EMPTY_REQUEST, 5000);
    sender.shutdown();
    return result;
  };

  it('exports with mutual TLS from the certificate files, headers as metadata', async () => {
    expect(receiver.url).toMatch(/^https:\/\/localhost:\d+$/);
    const result = await send({ certificate: pem('ca.crt'), clientKey: pem('client.key'), clientCertificate: pem('client.crt') });
    expect(result.status).toBe('success');
    expect(receiver.requests.at(-1)).toMatchObject({ signal: 'traces', gzip: true, headers: { authorization: 'Bearer t0ken' } });
  });

  it('fails without the client certificate the server requires, and without trusting its CA', async () => {
    const before = receiver.requests.length;
    expect((await send({ certificate: pem('ca.crt') })).status).not.toBe('success');
    expect((await send({ clientKey: pem('client.key'), clientCertificate: pem('client.crt') })).status).not.toBe('success');
    expect(receiver.requests).toHaveLength(before);
  });
});
