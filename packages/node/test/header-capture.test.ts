import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

const SERVER = 2;
const CLIENT = 3;
const CAPTURE = {
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_REQUEST: 'X-Tenant,authorization,cookie,x-absent',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_SERVER_RESPONSE: 'x-served-by,set-cookie',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_REQUEST: 'x-tenant,authorization,x-api-key',
  OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_CLIENT_RESPONSE: 'x-upstream,set-cookie',
};

describe('HTTP header capture', () => {
  const receiver = useReceiver();
  let downstream: Server;
  let downstreamUrl: string;

  beforeAll(async () => {
    downstream = createServer((request, response) => {
      response.setHeader('x-upstream', 'inventory-2');
      response.setHeader('set-cookie', 'upstream=downstream-secret');
      response.end('up');
    });
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
    const address = downstream.address();
    downstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise((resolve) => downstream.close(resolve)));

  async function exercise(file: string, env: Record<string, string>): Promise<ReceivedSpan[]> {
    const loaderFlag = file.endsWith('.mjs') ? '--import' : '--require';
    const app = startApp([loaderFlag, '@threadline/node/register', file], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, DOWNSTREAM_URL: downstreamUrl, ...env });
    const port = await app.waitForPort();
    const answer = await fetch(`http://127.0.0.1:${port}/call`, { headers: { 'x-tenant': 'acme', authorization: 'Bearer inbound-secret', cookie: 'sid=cookie-secret' } });
    expect(await answer.text()).toBe('ok');
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return receiver.spans();
  }

  const headerAttributes = (span: ReceivedSpan | undefined) =>
    Object.fromEntries(Object.entries(span?.attributes ?? {}).filter(([key]) => /^http\.(request|response)\.header\./.test(key)));

  it.each(['header-app.cjs', 'header-app.mjs'])('%s: the listed headers, as string arrays, credentials masked', async (file) => {
    const spans = await exercise(file, CAPTURE);
    expect(headerAttributes(spans.find((span) => span.kind === SERVER))).toEqual({
      'http.request.header.x-tenant': ['acme'],
      'http.request.header.authorization': ['REDACTED'],
      'http.request.header.cookie': ['REDACTED'],
      'http.response.header.x-served-by': ['orders-1'],
      'http.response.header.set-cookie': ['REDACTED'],
    });
    const clients = spans.filter((span) => span.kind === CLIENT);
    // One http.get and one fetch: the same headers from both client instrumentations.
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(headerAttributes(client)).toEqual({
        'http.request.header.x-tenant': ['acme'],
        'http.request.header.authorization': ['REDACTED'],
        'http.request.header.x-api-key': ['REDACTED'],
        'http.response.header.x-upstream': ['inventory-2'],
        'http.response.header.set-cookie': ['REDACTED'],
      });
    }
    expect(JSON.stringify(spans.map((span) => [span.attributes, span.events]))).not.toMatch(/secret/);
  });

  it('captures a sensitive header as it is only when it is also named in THREADLINE_CAPTURE_SENSITIVE_HEADERS', async () => {
    const spans = await exercise('header-app.cjs', { ...CAPTURE, THREADLINE_CAPTURE_SENSITIVE_HEADERS: 'authorization,set-cookie' });
    const server = headerAttributes(spans.find((span) => span.kind === SERVER));
    expect(server['http.request.header.authorization']).toEqual(['Bearer inbound-secret']);
    expect(server['http.request.header.cookie']).toEqual(['REDACTED']);
    expect(server['http.response.header.set-cookie']).toEqual(['session=server-secret', 'theme=dark']);
    for (const client of spans.filter((span) => span.kind === CLIENT)) {
      expect(headerAttributes(client)['http.request.header.authorization']).toEqual(['Bearer outbound-secret']);
      expect(headerAttributes(client)['http.request.header.x-api-key']).toEqual(['REDACTED']);
    }
  });

  it('captures no header when none is listed', async () => {
    const spans = await exercise('header-app.cjs', {});
    expect(spans.map((span) => span.kind).sort()).toEqual([SERVER, CLIENT, CLIENT]);
    for (const span of spans) expect(headerAttributes(span)).toEqual({});
  });
});
