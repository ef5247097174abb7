import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { OtlpReceiver, ReceivedSpan } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const INBOUND_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INBOUND_PARENT_ID = '00f067aa0ba902b7';

interface DownstreamCall {
  path: string;
  traceparent: string | undefined;
}

describe('automatic HTTP instrumentation', () => {
  let receiver: OtlpReceiver;
  let downstream: Server;
  let downstreamUrl: string;
  const calls: DownstreamCall[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    downstream = createServer((request, response) => {
      calls.push({ path: request.url ?? '', traceparent: request.headers.traceparent as string | undefined });
      response.end('ok');
    });
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
    const address = downstream.address();
    downstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await receiver.stop();
    await new Promise((resolve) => downstream.close(resolve));
  });
  beforeEach(() => {
    receiver.clear();
    calls.length = 0;
  });

  /** The call the app made to `path`; failing when it made none, so an absence check proves something. */
  function callTo(path: string): DownstreamCall {
    const call = calls.find((candidate) => candidate.path === path);
    if (!call) throw new Error(`the app made no call to ${path}; calls: ${calls.map((candidate) => candidate.path).join(', ') || 'none'}`);
    return call;
  }

  /** Starts http-app with FRAMEWORK, sends `requests`, stops it with SIGTERM, returns its spans. */
  async function exercise(file: string, framework: string, requests: [string, Record<string, string>?][], env: Record<string, string> = {}) {
    const loaderFlag = file.endsWith('.mjs') ? '--import' : '--require';
    const app = startApp([loaderFlag, '@threadline/node/register', file], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'orders',
      FRAMEWORK: framework,
      DOWNSTREAM_URL: downstreamUrl,
      THREADLINE_IGNORE_PATHS: '/health',
      ...env,
    });
    const port = await app.waitForPort();
    const statuses: number[] = [];
    for (const [path, headers] of requests) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
      await answer.text();
      statuses.push(answer.status);
    }
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return { spans: receiver.spans(), statuses };
  }

  const byPath = (spans: ReceivedSpan[], path: string) => spans.find((span) => span.kind === SERVER && span.attributes['url.path'] === path);
  const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan | undefined) => spans.filter((span) => parent && span.parentSpanId === parent.spanId);

  describe.each([
    ['node:http', 'node', undefined],
    ['Express 5', 'express', '/orders/:id'],
    ['Fastify 5', 'fastify', '/orders/:id'],
  ])('%s', (_label, framework, route) => {
    it.each(['http-app.cjs', 'http-app.mjs'])('in %s: server and client spans, linked, with the semantic-convention attributes', async (file) => {
      const inbound = { traceparent: `00-${INBOUND_TRACE_ID}-${INBOUND_PARENT_ID}-01` };
      const { spans, statuses } = await exercise(file, framework, [['/orders/42', inbound], ['/fail'], ['/health'], ['/unreachable']]);
      expect(statuses).toEqual([200, 500, 200, 502]);

      // The request with a traceparent continues the caller's trace.
      const order = byPath(spans, '/orders/42')!;
      expect(order).toBeDefined();
      expect(order.traceId).toBe(INBOUND_TRACE_ID);
      expect(order.parentSpanId).toBe(INBOUND_PARENT_ID);
      expect(order.name).toBe(route ? `GET ${route}` : 'GET');
      expect(order.attributes).toMatchObject({
        'http.request.method': 'GET',
        'url.path': '/orders/42',
        'url.scheme': 'http',
        'server.address': '127.0.0.1',
        'server.port': expect.any(Number),
        'network.protocol.version': '1.1',
        'http.response.status_code': 200,
      });
      if (route) expect(order.attributes['http.route']).toBe(route);
      else expect(order.attributes['http.route']).toBeUndefined();
      expect(order.status.code).not.toBe(ERROR);

      // Its two outbound calls (http.get, then fetch) are client spans under it, and the
      // downstream service received their IDs in traceparent.
      const clients = childrenOf(spans, order);
      const described = clients.map((span) => [span.kind, span.name, span.attributes['url.full'], span.attributes['http.response.status_code']]);
      expect(described.sort()).toEqual([
        [CLIENT, 'GET', `${downstreamUrl}/price`, 200],
        [CLIENT, 'GET', `${downstreamUrl}/stock`, 200],
      ]);
      for (const client of clients) {
        const call = calls.find((candidate) => client.attributes['url.full'] === `${downstreamUrl}${candidate.path}`);
        expect(call?.traceparent).toBe(`00-${INBOUND_TRACE_ID}-${client.spanId}-01`);
        expect(client.traceId).toBe(INBOUND_TRACE_ID);
      }

      // A failing handler marks its span as an error.
      const failed = byPath(spans, '/fail')!;
      expect(failed.status.code).toBe(ERROR);
      expect(failed.attributes['error.type']).toBe('500');
      expect(failed.parentSpanId).toBe('');
      if (framework === 'fastify') {
        expect(failed.events.find((event) => event.name === 'exception')?.attributes['exception.message']).toBe('boom');
      }

      // An ignored path yields no span, nor do the calls made while serving it.
      expect(byPath(spans, '/health')).toBeUndefined();
      expect(callTo('/from-health').traceparent).toBeUndefined();

      // A refused connection is a failed client span under the server span that made it.
      const unreachable = byPath(spans, '/unreachable')!;
      const [refused] = childrenOf(spans, unreachable);
      expect(refused).toMatchObject({ kind: CLIENT, status: { code: ERROR, message: expect.stringContaining('ECONNREFUSED') } });
      expect(refused?.attributes['error.type']).toBe('ECONNREFUSED');
      expect(unreachable.attributes['http.response.status_code']).toBe(502);

      // Nothing else: no fs, dns, net or export spans.
      expect(spans).toHaveLength(6);
    });
  });

  it('turns instrumentations off by name (OTEL_NODE_DISABLED_INSTRUMENTATIONS)', async () => {
    const { spans } = await exercise('http-app.cjs', 'node', [['/orders/1']], { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http' });
    expect(spans.map((span) => [span.kind, span.attributes['url.full']])).toEqual([[CLIENT, `${downstreamUrl}/price`]]);
    expect(callTo('/stock').traceparent).toBeUndefined();
  });

  it('turns on only the named instrumentations (OTEL_NODE_ENABLED_INSTRUMENTATIONS)', async () => {
    const { spans } = await exercise('http-app.mjs', 'express', [['/orders/1']], { OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http' });
    const server = spans.find((span) => span.kind === SERVER)!;
    // Express is off: no route template, but node:http server and client spans remain; fetch is off.
    expect(server.name).toBe('GET');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(spans.filter((span) => span.kind === CLIENT).map((span) => span.attributes['url.full'])).toEqual([`${downstreamUrl}/stock`]);
    expect(callTo('/price').traceparent).toBeUndefined();
  });
});
