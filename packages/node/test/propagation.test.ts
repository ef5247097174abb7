import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { runApp, startApp } from './helpers/run-app';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('W3C trace-context and baggage between services', () => {
  let receiver: OtlpReceiver;
  let server: RunningApp;
  let serverUrl: string;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    server = startApp(['--require', '@threadline/node/register', 'propagation.cjs', 'server'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'downstream',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    await server.waitForOutput('listening');
    const port = /listening (\d+)/.exec(server.output())?.[1];
    serverUrl = `http://127.0.0.1:${port}/`;
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await receiver.stop();
  });
  beforeEach(() => receiver.clear());

  it('keeps propagating when the caller exports nothing (OTEL_TRACES_EXPORTER=none)', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'propagation.cjs', 'client', serverUrl], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'upstream',
      OTEL_TRACES_EXPORTER: 'none',
    });
    expect(result.code).toBe(0);
    const { headers, spanId } = JSON.parse(result.stdout) as { headers: Record<string, string>; spanId: string };
    const match = TRACEPARENT.exec(headers.traceparent ?? '');
    expect(match).not.toBeNull();
    expect(match?.[2]).toBe(spanId);
    expect(headers.baggage).toBe('request.id=req-123');

    const spans = await receiver.waitForSpans((received) => received.some((span) => span.name === 'server-work'));
    const serverSpan = spans.find((span) => span.name === 'server-work')!;
    expect(serverSpan.traceId).toBe(match?.[1]);
    expect(serverSpan.parentSpanId).toBe(spanId);
    expect(serverSpan.attributes['baggage.request.id']).toBe('req-123');
    expect(serverSpan.resource['service.name']).toBe('downstream');
    expect(spans.some((span) => span.name === 'client-work')).toBe(false);
  });

  it('sends no trace headers with OTEL_PROPAGATORS=none, and the callee starts a new trace', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'propagation.cjs', 'client', serverUrl], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_PROPAGATORS: 'none',
    });
    const { headers } = JSON.parse(result.stdout) as { headers: Record<string, string> };
    expect(headers).toEqual({});
    const spans = await receiver.waitForSpans((received) => received.some((span) => span.name === 'server-work'));
    const serverSpan = spans.find((span) => span.name === 'server-work')!;
    expect(serverSpan.parentSpanId).toBe('');
    expect(serverSpan.attributes['baggage.request.id']).toBe('missing');
  });
});
