import type { AddressInfo, Server } from 'node:net';
import { createServer } from 'node:net';
import { OtlpReceiver } from '@threadline/testing';
import { probeEndpoint } from '../src/doctor/endpoint-probe';

// The endpoint probe against real servers on loopback: each answer it can get, and what it says.
describe('the endpoint probe', () => {
  const http = new OtlpReceiver({ protocol: 'http' });
  const grpc = new OtlpReceiver({ protocol: 'grpc' });
  let silent: Server;
  let silentUrl: string;
  beforeAll(async () => {
    await Promise.all([http.start(), grpc.start()]);
    // Accepts connections and never answers (it reads, so it sees the probe hang up).
    silent = createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([http.stop(), grpc.stop()]);
    await new Promise((resolve) => silent.close(resolve));
  });
  afterEach(() => {
    http.setFault(undefined);
    grpc.setFault(undefined);
    http.clear();
  });

  it('OTLP/HTTP: an empty export the receiver takes, with the exporter\'s headers', async () => {
    const row = await probeEndpoint({ signal: 'traces', url: `${http.url}/v1/traces`, protocol: 'http/protobuf', headers: { 'x-api-key': 'k1' } });
    expect(row).toMatchObject({ status: 'answers', detail: 'HTTP 200 to an empty export' });
    expect(http.requests[0]).toMatchObject({ path: '/v1/traces', contentType: 'protobuf' });
    expect(http.requests[0]?.headers['x-api-key']).toBe('k1');
  });

  it('OTLP/JSON sends an empty JSON export', async () => {
    const row = await probeEndpoint({ signal: 'logs', url: `${http.url}/v1/logs`, protocol: 'http/json', headers: {} });
    expect(row.status).toBe('answers');
    expect(http.requests[0]).toMatchObject({ path: '/v1/logs', contentType: 'json' });
  });

  it('names refused credentials, and a path with no receiver', async () => {
    http.setFault({ status: 401 });
    const refused = await probeEndpoint({ signal: 'traces', url: `${http.url}/v1/traces`, protocol: 'http/protobuf', headers: {} });
    expect(refused).toMatchObject({ status: 'rejected', detail: expect.stringContaining('HTTP 401: the collector refuses the credentials') });
    http.setFault(undefined);
    const wrongPath = await probeEndpoint({ signal: 'metrics', url: `${http.url}/metrics`, protocol: 'http/protobuf', headers: {} });
    expect(wrongPath).toMatchObject({ status: 'rejected', detail: expect.stringContaining('HTTP 404') });
  });

  it('OTLP/gRPC: names UNAUTHENTICATED', async () => {
    grpc.setFault({ grpcStatus: 16 });
    const row = await probeEndpoint({ signal: 'traces', url: grpc.url, protocol: 'grpc', headers: {} });
    expect(row).toMatchObject({ status: 'rejected', detail: 'gRPC UNAUTHENTICATED (the credentials sent are refused)' });
  });

  it('a port that accepts and never answers, within the timeout', async () => {
    const started = Date.now();
    const row = await probeEndpoint({ signal: 'traces', url: `${silentUrl}/v1/traces`, protocol: 'http/protobuf', headers: {} }, 300);
    expect(row).toMatchObject({ status: 'no answer', detail: expect.stringContaining('sent nothing within 300 ms') });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a host that does not resolve', async () => {
    const row = await probeEndpoint({ signal: 'traces', url: 'http://collector.invalid:4318/v1/traces', protocol: 'http/protobuf', headers: {} });
    expect(row.status).toBe('unreachable');
  });

  it('masks credentials in the URL it reports', async () => {
    const row = await probeEndpoint({ signal: 'traces', url: `${http.url.replace('http://', 'http://user:pass@')}/v1/traces`, protocol: 'http/protobuf', headers: {} });
    expect(row.url).not.toContain('pass');
  });
});
