import type { OtlpReceiver } from '@threadline/testing';
import { startOtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { runApp, startApp } from './helpers/run-app';

// Sampled (01) and, since Threadline draws trace IDs from the CSPRNG, random (02).
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-03$/;

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
    const port = await server.waitForPort();
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
    const { received, traceId } = JSON.parse(result.stdout) as { received: Record<string, string>; traceId: string };
    const match = TRACEPARENT.exec(received.traceparent ?? '');
    expect(match?.[1]).toBe(traceId);
    expect(received.baggage).toBe('request.id=req-123');

    const spans = await receiver.waitForSpans((all) => all.some((span) => span.traceId === traceId));
    const serverSpan = spans.find((span) => span.traceId === traceId)!;
    expect(serverSpan.kind).toBe(2);
    expect(serverSpan.parentSpanId).toBe(match?.[2]);
    expect(serverSpan.attributes['baggage.request.id']).toBe('req-123');
    expect(serverSpan.attributes['request.id']).toBe('req-123');
    expect(serverSpan.resource['service.name']).toBe('downstream');
    expect(spans.every((span) => span.resource['service.name'] === 'downstream')).toBe(true);
  });

  it('sends no trace headers with OTEL_PROPAGATORS=none, and the callee starts a new trace', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'propagation.cjs', 'client', serverUrl], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'upstream',
      OTEL_PROPAGATORS: 'none',
    });
    const { received, traceId } = JSON.parse(result.stdout) as { received: Record<string, string>; traceId: string };
    expect(received).toEqual({});
    const spans = await receiver.waitForSpans((all) => all.filter((span) => span.resource['service.name'] === 'downstream').length === 1);
    const serverSpan = spans.find((span) => span.resource['service.name'] === 'downstream')!;
    expect(serverSpan.traceId).not.toBe(traceId);
    expect(serverSpan.parentSpanId).toBe('');
    // Nothing arrived, so the callee made its own request ID (and keeps it in its baggage).
    expect(serverSpan.attributes['request.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(serverSpan.attributes['baggage.request.id']).toBe(serverSpan.attributes['request.id']);
  });
});
