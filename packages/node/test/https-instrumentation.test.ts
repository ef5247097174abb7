import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { startApp } from './helpers/run-app';

/** A self-signed certificate for localhost, made with the system's openssl. */
function makeCertificate(): { key: string; cert: string } {
  const directory = mkdtempSync(join(tmpdir(), 'threadline-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem')], { stdio: 'ignore' });
  return { key: readFileSync(join(directory, 'key.pem'), 'utf8'), cert: readFileSync(join(directory, 'cert.pem'), 'utf8') };
}

describe('HTTPS', () => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver();
  });
  afterAll(() => receiver.stop());

  it('traces node:https servers and clients like node:http ones', async () => {
    const tls = makeCertificate();
    const app = startApp(['--require', '@threadline/node/register', 'https-app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      TLS_KEY: tls.key,
      TLS_CERT: tls.cert,
    });
    const port = await app.waitForPort();
    const body = await new Promise<string>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/outer', servername: 'localhost', ca: tls.cert }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(text));
      }).on('error', reject).end();
    });
    expect(body).toBe('outer 200');
    app.child.kill('SIGTERM');
    await app.exited;

    const spans = receiver.spans();
    const outer = spans.find((span) => span.attributes['url.path'] === '/outer')!;
    const client = spans.find((span) => span.kind === 3)!;
    const inner = spans.find((span) => span.attributes['url.path'] === '/inner')!;
    expect(outer.attributes['url.scheme']).toBe('https');
    expect(client.parentSpanId).toBe(outer.spanId);
    expect(client.attributes).toMatchObject({ 'url.full': `https://localhost:${port}/inner`, 'server.address': 'localhost', 'server.port': port, 'http.response.status_code': 200 });
    expect(inner.parentSpanId).toBe(client.spanId);
    expect(inner.attributes).toMatchObject({ 'url.scheme': 'https', 'server.address': 'localhost', 'server.port': port });
    expect(spans).toHaveLength(3);
  });
});
