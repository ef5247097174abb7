import type { ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { jsonLines } from './helpers/log-lines';
import { useReceiver } from './helpers/receiver';

const GENERATED_ID = /^[0-9a-f]{32}$/;
const STATUS_ERROR = 2;

describe('background work and worker threads', () => {
  const receiver = useReceiver();

  it('gives work no request started a root span and a fresh request ID, carried into a worker thread', async () => {
    const app = startApp(['background-work.cjs'], {
      OTEL_SERVICE_NAME: 'sweeper',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await app.waitForOutput('finished', 60_000);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const spans = await receiver.waitForSpans((received) => received.some((span) => span.name === 'invoice.fail'), 30_000);
    const lines = jsonLines(result.stdout);

    const sweep = spans.find((span) => span.name === 'invoice.sweep')!;
    expect(sweep.parentSpanId).toBe('');
    const requestId = sweep.attributes['request.id'];
    expect(requestId).toMatch(GENERATED_ID);
    expect(sweep.attributes['threadline.background']).toBe(true);

    // The sweep's lines, and the worker thread's, carry the sweep's trace and request ID.
    const byEvent = (event: string) => lines.find((line) => line.event === event)!;
    for (const event of ['sweep.started', 'thread.ran', 'sweep.done']) {
      expect(byEvent(event)).toMatchObject({ trace_id: sweep.traceId, span_id: sweep.spanId, request_id: requestId, requestId });
    }
    const query: ReceivedSpan | undefined = spans.find((span) => span.attributes['db.system.name'] === 'postgresql');
    expect(query).toMatchObject({ traceId: sweep.traceId, parentSpanId: sweep.spanId });

    // Each run is its own trace and request; a failure is on its root span and reaches the caller.
    const failed = spans.find((span) => span.name === 'invoice.fail')!;
    expect(failed.traceId).not.toBe(sweep.traceId);
    expect(failed.parentSpanId).toBe('');
    expect(failed.attributes['request.id']).toMatch(GENERATED_ID);
    expect(failed.attributes['request.id']).not.toBe(requestId);
    expect(failed.status.code).toBe(STATUS_ERROR);
    expect(failed.attributes['error.type']).toBe('Error');
    expect(byEvent('sweep.failed')).toMatchObject({ message: 'sweep failed' });
    expect(byEvent('sweep.failed').request_id).toBeUndefined();
  });
});
