import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { startApp } from './helpers/run-app';

const TRACE_ID = '12345678901234567890123456789012';
const PARENT_ID = '1234567890123456';

/** A loopback server that records the headers of every call made to it. */
async function startCallbackServer(host = '127.0.0.1'): Promise<{ server: Server; url: string; calls: IncomingHttpHeaders[] }> {
  const calls: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    calls.push(request.headers);
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://${host}:${port}/`, calls };
}

function startService(env: Record<string, string>): RunningApp {
  return startApp(['--require', '@threadline/node/register', 'trace-context-service.cjs'], {
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    ...env,
  });
}

/** Sends `headers` to the first service and has each service call the next; the last calls `target`. */
async function callThrough(services: string[], target: string, headers: [string, string][]): Promise<number> {
  let body: unknown[] = [{ url: target, arguments: [] }];
  for (const url of services.slice(1).reverse()) body = [{ url, arguments: body }];
  const response = await fetch(services[0]!, { method: 'POST', headers: new Headers(headers), body: JSON.stringify(body) });
  await response.text();
  return response.status;
}

async function stopAll(apps: RunningApp[]): Promise<void> {
  for (const app of apps) app.child.kill('SIGTERM');
  await Promise.all(apps.map((app) => app.exited));
}

describe('W3C Trace Context through a chain of services (export on, then off)', () => {
  let receiver: OtlpReceiver;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let apps: RunningApp[];
  let services: string[];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    callback = await startCallbackServer();
    // The first service exports to the receiver and calls on with node:http; the second
    // exports nothing and calls with fetch: propagation must not depend on either.
    apps = [
      startService({ OTEL_SERVICE_NAME: 'edge-a', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
      startService({ OTEL_SERVICE_NAME: 'inner-b', OTEL_TRACES_EXPORTER: 'none', CLIENT: 'fetch' }),
    ];
    services = (await Promise.all(apps.map((app) => app.waitForPort()))).map((port) => `http://127.0.0.1:${port}/`);
  });
  afterAll(async () => {
    await stopAll(apps);
    callback.server.close();
    await receiver.stop();
  });
  beforeEach(() => {
    callback.calls.length = 0;
    receiver.clear();
  });

  const forwarded = async (headers: [string, string][]): Promise<IncomingHttpHeaders> => {
    expect(await callThrough(services, callback.url, headers)).toBe(200);
    expect(callback.calls).toHaveLength(1);
    return callback.calls[0]!;
  };

  it('keeps the trace ID and the random flag across two hops, with a new parent ID each hop', async () => {
    const headers = await forwarded([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-02`]]);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-02$`));
    expect(headers.traceparent?.split('-')[2]).not.toBe(PARENT_ID);
  });

  it('exports the first service\'s spans in the caller\'s trace when sampled', async () => {
    const headers = await forwarded([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-03`]]);
    expect(headers.traceparent).toMatch(/-03$/);
    const spans = await receiver.waitForSpans((all) => all.some((span) => span.kind === 2 && span.traceId === TRACE_ID));
    const server = spans.find((span) => span.kind === 2 && span.traceId === TRACE_ID)!;
    expect(server.parentSpanId).toBe(PARENT_ID);
    expect(server.resource['service.name']).toBe('edge-a');
  });

  it('passes on a multi-tenant tracestate from several header lines, in order', async () => {
    const headers = await forwarded([
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
      ['tracestate', 'foo@bar@baz=1,t@vvvvvvvvvvvvvvv=2'],
      ['tracestate', `${'z'.repeat(256)}=3`],
    ]);
    expect(headers.tracestate).toBe(`foo@bar@baz=1,t@vvvvvvvvvvvvvvv=2,${'z'.repeat(256)}=3`);
  });

  it.each([
    ['33 list members', Array.from({ length: 33 }, (_, index) => `k${index}=${index}`).join(',')],
    ['a 257-character key', `foo=1,${'z'.repeat(257)}=1`],
    ['an illegal value', 'foo=bar=baz'],
    ['an empty value', 'foo=,bar=3'],
  ])('drops a tracestate with %s but keeps the trace', async (_name, tracestate) => {
    const headers = await forwarded([['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`], ['tracestate', tracestate]]);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(headers.tracestate).toBeUndefined();
  });

  it.each([
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['an uppercase trace ID', `00-${TRACE_ID.replace('1', 'A')}-${PARENT_ID}-01`],
    ['version 00 with extra fields', `00-${TRACE_ID}-${PARENT_ID}-01-extra`],
  ])('starts a new trace for %s and forgets its tracestate', async (_name, traceparent) => {
    const headers = await forwarded([['traceparent', traceparent], ['tracestate', 'foo=1']]);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
    expect(headers.traceparent).not.toContain(TRACE_ID.slice(1));
    expect(headers.tracestate).toBeUndefined();
  });

  it('continues a future version that carries extra fields', async () => {
    const headers = await forwarded([['traceparent', `cc-${TRACE_ID}-${PARENT_ID}-01-what-the-future-will-be-like`]]);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
  });

  it('starts a new trace for two traceparent headers', async () => {
    const headers = await forwarded([
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
      ['traceparent', `00-${TRACE_ID.replace('2', '3')}-${PARENT_ID}-01`],
    ]);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/);
    expect(headers.traceparent?.split('-')[1]).not.toBe(TRACE_ID);
  });

  it('passes baggage from several lines on, and a bad percent escape does not break the request', async () => {
    const headers = await forwarded([
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
      ['baggage', 'tenant=acme,broken=%E0%A4%A'],
      ['baggage', 'plan=gold'],
    ]);
    const members = new Set(headers.baggage?.split(','));
    expect(members.has('tenant=acme')).toBe(true);
    expect(members.has('plan=gold')).toBe(true);
    expect(members.has('broken=%EF%BF%BD%25A')).toBe(true);
  });
});

describe('edge mode (THREADLINE_TRUST_INBOUND_CONTEXT=false)', () => {
  let receiver: OtlpReceiver;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let apps: RunningApp[];
  let edge: string;
  let trusting: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    callback = await startCallbackServer();
    // Neither service samples a trace it starts itself (ratio 0), so a sampled span can only
    // come from honouring a caller's sampled flag.
    const sampler = { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
    apps = [
      startService({ ...sampler, OTEL_SERVICE_NAME: 'public-edge', THREADLINE_TRUST_INBOUND_CONTEXT: 'false' }),
      startService({ ...sampler, OTEL_SERVICE_NAME: 'trusting' }),
    ];
    [edge, trusting] = (await Promise.all(apps.map((app) => app.waitForPort()))).map((port) => `http://127.0.0.1:${port}/`);
  });
  afterAll(async () => {
    await stopAll(apps);
    callback.server.close();
    await receiver.stop();
  });
  beforeEach(() => {
    callback.calls.length = 0;
    receiver.clear();
  });

  const inbound: [string, string][] = [
    ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
    ['tracestate', 'caller=planted'],
    ['baggage', 'request.id=from-baggage,role=admin'],
    ['x-request-id', 'req-from-edge-client'],
  ];

  it('a trusting service honours the caller\'s sampled flag and baggage', async () => {
    expect(await callThrough([trusting!], callback.url, inbound)).toBe(200);
    const headers = callback.calls[0]!;
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(headers.tracestate).toBe('caller=planted');
    expect(headers.baggage).toContain('role=admin');
    await receiver.waitForSpans((spans) => spans.some((span) => span.traceId === TRACE_ID && span.resource['service.name'] === 'trusting'));
  });

  it('an edge service starts a new trace, unsampled by its own sampler, and drops inbound baggage', async () => {
    expect(await callThrough([edge!], callback.url, inbound)).toBe(200);
    const headers = callback.calls[0]!;
    const [, traceId, , flags] = headers.traceparent?.split('-') ?? [];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe(TRACE_ID);
    // Not sampled (ratio 0), random trace ID.
    expect(flags).toBe('02');
    expect(headers.tracestate).toBeUndefined();
    expect(headers.baggage).toBe('request.id=req-from-edge-client');
    expect(headers['x-request-id']).toBe('req-from-edge-client');
  });

  it('links an edge service\'s new trace to the caller\'s', async () => {
    apps.push(startService({ OTEL_SERVICE_NAME: 'sampled-edge', THREADLINE_TRUST_INBOUND_CONTEXT: 'false', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }));
    const url = `http://127.0.0.1:${await apps.at(-1)!.waitForPort()}/`;
    expect(await callThrough([url], callback.url, inbound)).toBe(200);
    const spans = await receiver.waitForSpans((all) => all.some((span) => span.kind === 2 && span.resource['service.name'] === 'sampled-edge'));
    const server = spans.find((span) => span.kind === 2 && span.resource['service.name'] === 'sampled-edge')!;
    expect(server.traceId).not.toBe(TRACE_ID);
    expect(server.parentSpanId).toBe('');
    expect(server.links).toEqual([{ traceId: TRACE_ID, spanId: PARENT_ID, attributes: {} }]);
    expect(server.attributes['request.id']).toBe('req-from-edge-client');
    expect(callback.calls[0]?.traceparent).toContain(server.traceId);
  });
});

describe('hosts that receive baggage, tracestate and the request ID (THREADLINE_CONTEXT_ALLOWED_HOSTS)', () => {
  let allowed: Awaited<ReturnType<typeof startCallbackServer>>;
  let external: Awaited<ReturnType<typeof startCallbackServer>>;
  let apps: RunningApp[];
  let services: Record<'http' | 'fetch', string>;

  beforeAll(async () => {
    allowed = await startCallbackServer('localhost');
    external = await startCallbackServer('127.0.0.1');
    const env = { OTEL_TRACES_EXPORTER: 'none', THREADLINE_CONTEXT_ALLOWED_HOSTS: 'localhost,*.svc.cluster.local' };
    apps = [startService(env), startService({ ...env, CLIENT: 'fetch' })];
    const [httpPort, fetchPort] = await Promise.all(apps.map((app) => app.waitForPort()));
    services = { http: `http://127.0.0.1:${httpPort}/`, fetch: `http://127.0.0.1:${fetchPort}/` };
  });
  afterAll(async () => {
    await stopAll(apps);
    allowed.server.close();
    external.server.close();
  });

  it.each(['http', 'fetch'] as const)('with %s, an allowed host gets everything, another only traceparent', async (client) => {
    allowed.calls.length = 0;
    external.calls.length = 0;
    const inbound: [string, string][] = [
      ['traceparent', `00-${TRACE_ID}-${PARENT_ID}-01`],
      ['tracestate', 'vendor=1'],
      ['baggage', 'tenant=acme'],
      ['x-request-id', `req-${client}`],
    ];
    const body = JSON.stringify([{ url: allowed.url, arguments: [] }, { url: external.url, arguments: [] }]);
    const response = await fetch(services[client], { method: 'POST', headers: new Headers(inbound), body });
    expect(response.status).toBe(200);
    const [inside] = allowed.calls;
    const [outside] = external.calls;
    expect(inside?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(inside?.tracestate).toBe('vendor=1');
    expect(inside?.baggage).toContain('tenant=acme');
    expect(inside?.['x-request-id']).toBe(`req-${client}`);
    expect(outside?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-`));
    expect(outside).not.toHaveProperty('tracestate');
    expect(outside).not.toHaveProperty('baggage');
    expect(outside).not.toHaveProperty('x-request-id');
  });
});
