import type { OtlpReceiver, ReceivedSpan } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { diagnosticLines, startApp } from './helpers/run-app';
import { jsonLines } from './helpers/log-lines';
import { OTLP_TRANSPORTS, transportEnv } from './helpers/receiver';

const SERVER = 2;
const CLIENT = 3;
const GENERATED_ID = /^[0-9a-f]{32}$/;

describe.each(OTLP_TRANSPORTS)('one trace ID and one request ID across three services, over OTLP/%s', (transport) => {
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await startOtlpReceiver({ protocol: transport });
  });
  afterAll(() => receiver.stop());

  async function startService(role: string, next?: string): Promise<{ app: RunningApp; url: string }> {
    const app = startApp(['chain-service.cjs'], {
      ROLE: role,
      OTEL_SERVICE_NAME: `service-${role}`,
      ...transportEnv(transport),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      ...(next ? { NEXT_URL: next } : {}),
    });
    return { app, url: `http://127.0.0.1:${await app.waitForPort()}` };
  }

  it('joins spans, stdout lines and OTLP log records of every service by trace and request ID', async () => {
    const c = await startService('c');
    const b = await startService('b', c.url);
    const a = await startService('a', b.url);
    const requests: { nonce: string; given?: string; echoed?: string | null; body?: { requestId: string } }[] = [];
    for (let i = 0; i < 6; i++) requests.push({ nonce: `n${i}`, given: i % 2 === 0 ? `given-${i}` : undefined });
    await Promise.all(
      requests.map(async (request) => {
        const answer = await fetch(`${a.url}/order/${request.nonce}`, { headers: request.given ? { 'x-request-id': request.given } : {} });
        request.echoed = answer.headers.get('x-request-id');
        request.body = (await answer.json()) as { requestId: string };
      }),
    );
    const results = [];
    for (const service of [a, b, c]) {
      service.app.child.kill('SIGTERM');
      results.push(await service.app.exited);
    }
    for (const result of results) expect(diagnosticLines(result.stderr)).toEqual([]);
    const stdoutLines = results.flatMap((result) => jsonLines(result.stdout));
    const spans = receiver.spans();
    const records = receiver.logRecords();

    for (const request of requests) {
      // The request ID: the caller's when given, else a fresh one; echoed on the response.
      const requestId = request.echoed!;
      if (request.given) expect(requestId).toBe(request.given);
      else expect(requestId).toMatch(GENERATED_ID);
      expect(request.body?.requestId).toBe(requestId);

      // One trace through all three services, with the right parent links.
      const entryA = spans.find((span) => span.attributes['url.path'] === `/order/${request.nonce}`)!;
      const inTrace = spans.filter((span) => span.traceId === entryA.traceId);
      const one = (predicate: (span: ReceivedSpan) => boolean): ReceivedSpan => {
        const matches = inTrace.filter(predicate);
        expect(matches).toHaveLength(1);
        return matches[0]!;
      };
      const service = (span: ReceivedSpan) => span.resource['service.name'];
      const clientA = one((span) => service(span) === 'service-a' && span.kind === CLIENT);
      const entryB = one((span) => service(span) === 'service-b' && span.kind === SERVER);
      const clientB = one((span) => service(span) === 'service-b' && span.kind === CLIENT);
      const entryC = one((span) => service(span) === 'service-c' && span.kind === SERVER);
      const query = one((span) => service(span) === 'service-c' && span.attributes['db.system.name'] === 'postgresql');
      expect(inTrace).toHaveLength(6);
      expect(entryA.parentSpanId).toBe('');
      expect(clientA.parentSpanId).toBe(entryA.spanId);
      expect(entryB.parentSpanId).toBe(clientA.spanId);
      expect(clientB.parentSpanId).toBe(entryB.spanId);
      expect(entryC.parentSpanId).toBe(clientB.spanId);
      expect(query.parentSpanId).toBe(entryC.spanId);
      for (const entry of [entryA, entryB, entryC]) expect(entry.attributes['request.id']).toBe(requestId);

      // Every stdout line about this request, in every service, carries the trace ID, the
      // span active where it was written (the service's entry span) and the request ID.
      const entryOf: Record<string, ReceivedSpan> = { 'service-a': entryA, 'service-b': entryB, 'service-c': entryC };
      const lines = stdoutLines.filter((line) => line.nonce === request.nonce);
      expect(lines.map((line) => line.event).sort()).toEqual(['a.done', 'a.received', 'b.done', 'b.received', 'c.done', 'c.queried', 'c.received']);
      for (const line of lines) {
        expect(line).toMatchObject({
          trace_id: entryA.traceId,
          span_id: entryOf[String(line.service)]!.spanId,
          trace_flags: '01',
          request_id: requestId,
          level: 'info',
        });
        expect(typeof line.timestamp === 'string' && new Date(line.timestamp).toISOString()).toBe(line.timestamp);
      }

      // The same for the OTLP log records.
      const exported = records.filter((record) => record.attributes.nonce === request.nonce);
      expect(exported).toHaveLength(7);
      for (const record of exported) {
        expect(record.traceId).toBe(entryA.traceId);
        expect(record.spanId).toBe(entryOf[String(record.resource['service.name'])]!.spanId);
        expect(record.attributes['request.id']).toBe(requestId);
        expect(record).toMatchObject({ severityNumber: 9, severityText: 'INFO' });
      }
    }
  });
});
