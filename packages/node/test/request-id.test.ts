import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { diagnosticLines, startApp } from './helpers/run-app';
import { jsonLines } from './helpers/log-lines';

const GENERATED_ID = /^[0-9a-f]{32}$/;

/** Sends a raw HTTP/1.1 request (so that headers fetch would refuse can be sent) and returns the response head. */
function rawRequest(port: number, path: string, headerLines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headerLines.map((line) => `${line}\r\n`).join('')}\r\n`);
    });
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('request IDs and log correlation', () => {
  let receiver: OtlpReceiver;
  let downstream: Server;
  let downstreamUrl: string;
  const downstreamHeaders: Record<string, string | string[] | undefined>[] = [];
  let app: RunningApp;
  let port: number;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    downstream = createServer((request, response) => {
      downstreamHeaders.push({ path: request.url, ...request.headers });
      response.end('ok');
    });
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
    const address = downstream.address();
    downstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    app = startApp(['--require', '@threadline/node/register', 'logging-app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'orders',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      THREADLINE_CONSOLE: 'true',
      DOWNSTREAM_URL: downstreamUrl,
    });
    port = await app.waitForPort();
  });

  let stdout: Record<string, unknown>[] = [];
  let stderr = '';
  const requests: { nonce: string; requestId?: string | null; aborted?: boolean }[] = [];

  it('serves hundreds of interleaved requests (some aborted)', async () => {
    for (let i = 0; i < 300; i++) requests.push({ nonce: `n${i}`, aborted: i % 50 === 7 });
    const queue = [...requests];
    const worker = async () => {
      for (let request = queue.shift(); request; request = queue.shift()) {
        const given = Number(request.nonce.slice(1)) % 3 === 0 ? { 'x-request-id': `req-${request.nonce}` } : undefined;
        const controller = new AbortController();
        if (request.aborted) setTimeout(() => controller.abort(), 1);
        try {
          const answer = await fetch(`http://127.0.0.1:${port}/work/${request.nonce}`, { headers: given, signal: controller.signal });
          request.requestId = answer.headers.get('x-request-id');
          await answer.text();
        } catch {
          request.requestId = undefined;
        }
      }
    };
    await Promise.all(Array.from({ length: 40 }, worker));
    // Invalid inbound IDs, sent raw: 10 KB, quotes, a JSON fragment, non-ASCII, a space; and
    // CR/LF, which HTTP parsing keeps out of header values, through percent-encoded baggage.
    const invalid = [
      'x-request-id: ' + 'x'.repeat(10_240),
      'x-request-id: quote"d',
      'x-request-id: {"request_id":"evil"}',
      'x-request-id: caf\u00e9-\u00fcber',
      'x-request-id: has space',
      'baggage: request.id=bad%0D%0Ax-injected%3A%201',
    ];
    for (const [index, header] of invalid.entries()) {
      const head = await rawRequest(port, `/work/invalid${index}`, [header]);
      const echoed = /x-request-id: ([^\r\n]*)/i.exec(head)?.[1];
      expect(echoed).toMatch(GENERATED_ID);
      expect(head).not.toContain('x-injected');
      requests.push({ nonce: `invalid${index}`, requestId: echoed });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    app.child.kill('SIGTERM');
    const result = await app.exited;
    stdout = jsonLines(result.stdout);
    stderr = result.stderr;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    expect(requests.filter((request) => !request.aborted && !request.requestId)).toEqual([]);
  });

  it('attaches no log line or span to the wrong request', () => {
    const spans = receiver.spans();
    const entryByPath = new Map(spans.filter((span) => span.kind === 2).map((span) => [span.attributes['url.path'], span]));
    let checked = 0;
    for (const request of requests.filter((candidate) => candidate.requestId)) {
      const entry = entryByPath.get(`/work/${request.nonce}`)!;
      expect(entry.attributes['request.id']).toBe(request.requestId);
      expect(entry.attributes.userId).toBe(`user-${request.nonce}`);
      if (Number(request.nonce.slice(1)) % 3 === 0 && request.nonce.startsWith('n')) expect(request.requestId).toBe(`req-${request.nonce}`);
      const lines = stdout.filter((line) => line.nonce === request.nonce || line.message === `console line ${request.nonce}`);
      // The Threadline logger (2), the app's pino and winston (1 each), console (1).
      expect(lines).toHaveLength(5);
      for (const line of lines) {
        expect(line.trace_id).toBe(entry.traceId);
        expect(line.span_id).toBe(entry.spanId);
        expect(line.request_id).toBe(request.requestId);
        expect(line.userId).toBe(`user-${request.nonce}`);
        expect(line.feature_flags).toEqual({ 'new-pricing': true });
        checked++;
      }
      const called = downstreamHeaders.find((headers) => headers.path === `/from/${request.nonce}`);
      expect(called?.['x-request-id']).toBe(request.requestId);
      expect(called?.baggage).toBe(`request.id=${request.requestId}`);
    }
    expect(checked).toBeGreaterThan(1400);
    // Lines written outside any request carry no IDs, however many requests ran meanwhile.
    const outside = stdout.filter((line) => ['heartbeat', 'service.starting', 'service.listening'].includes(String(line.event)));
    expect(outside.length).toBeGreaterThan(3);
    for (const line of outside) {
      expect(line).not.toHaveProperty('trace_id');
      expect(line).not.toHaveProperty('request_id');
    }
  });

  it('never lets a logged object spoof a correlation field, and keeps multi-line messages on one line', () => {
    const threadlineLines = stdout.filter((line) => line.event === 'work.started' || line.event === 'work.failed');
    expect(threadlineLines.length).toBeGreaterThan(500);
    expect(JSON.stringify(stdout)).not.toContain('spoofed');
    const failure = stdout.find((line) => line.event === 'work.failed')!;
    expect(failure).toMatchObject({ level: 'error', service: 'orders', 'error.type': 'Error', 'error.message': 'multi\nline failure' });
    expect(String(failure['error.stack'])).toContain('logging-app.cjs');
  });

  it('never echoes or logs an invalid inbound request ID', () => {
    const text = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? String(item) : item));
    const everything = text(stdout) + stderr + text(receiver.spans()) + text(receiver.logRecords());
    for (const fragment of ['x-injected', 'x'.repeat(200), 'quote"d', 'evil', 'caf\u00e9', 'has space']) expect(everything).not.toContain(fragment);
  });

  it('exports each log record with the trace context, request.id and a mapped severity', () => {
    const records = receiver.logRecords();
    const failed = records.filter((record) => record.body === 'work.failed');
    expect(failed.length).toBeGreaterThan(250);
    for (const record of failed) {
      const request = requests.find((candidate) => candidate.nonce === record.attributes.nonce)!;
      if (!request.requestId) continue; // aborted before the answer: its ID was never seen
      expect(record).toMatchObject({ severityNumber: 17, severityText: 'ERROR' });
      expect(record.attributes['request.id']).toBe(request.requestId);
      expect(record.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(record.attributes).not.toHaveProperty('trace_id');
    }
    const fromPino = records.find((record) => record.body === 'pino line')!;
    expect(fromPino.attributes).toMatchObject({ nonce: expect.any(String), 'request.id': expect.any(String) });
    expect(records.some((record) => record.body === 'winston line')).toBe(true);
    expect(records.some((record) => String(record.body).startsWith('console line'))).toBe(true);
  });

  afterAll(async () => {
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
    await receiver.stop();
    await new Promise((resolve) => downstream.close(resolve));
  });
});
