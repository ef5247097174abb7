import type { ReceivedMetric } from '@threadline/testing';
import { OtlpReceiver } from '@threadline/testing';
import type { RunningApp } from './helpers/run-app';
import { startApp } from './helpers/run-app';

type Point = Record<string, unknown> & { attributes: Record<string, unknown> };

/** The latest value of `name` for each distinct `error.type` (`ok` when unset), summed over the app's queues. */
function latestByErrorType(metrics: ReceivedMetric[], name: string): Record<string, number> {
  const last = metrics.filter((metric) => metric.name === name).at(-1);
  const values: Record<string, number> = {};
  for (const point of (last?.dataPoints ?? []) as Point[]) {
    const key = String(point.attributes['error.type'] ?? 'ok');
    values[key] = (values[key] ?? 0) + Number(point.asDouble ?? point.asInt);
  }
  return values;
}

describe('Threadline\'s own export metrics (otel.sdk.*)', () => {
  // Spans and logs go to one receiver, which is made to fail; metrics to another, which works.
  const collector = new OtlpReceiver();
  const metricsReceiver = new OtlpReceiver();
  let app: RunningApp;
  let port: number;

  beforeAll(async () => {
    await Promise.all([collector.start(), metricsReceiver.start()]);
    app = startApp(['--require', '@threadline/node/register', 'self-metrics-app.cjs'], {
      OTEL_SERVICE_NAME: 'self-metrics',
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${metricsReceiver.url}/v1/metrics`,
      OTEL_METRIC_EXPORT_INTERVAL: '300',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OTEL_BLRP_SCHEDULE_DELAY: '50',
      OTEL_BSP_MAX_QUEUE_SIZE: '100',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '10',
      THREADLINE_RUNTIME_METRICS: 'false',
      LOG_LEVEL: 'info',
    });
    port = await app.waitForPort();
  });
  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
    await Promise.all([collector.stop(), metricsReceiver.stop()]);
  });

  const emit = async (count: number): Promise<void> => {
    const response = await fetch(`http://127.0.0.1:${port}/emit?count=${count}`);
    await response.text();
  };
  /** Waits for a metrics export in which `check` holds for the latest values. */
  const waitForMetrics = (check: (values: (name: string) => Record<string, number>) => boolean) =>
    metricsReceiver.waitForRequests(1).then(async () => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const metrics = metricsReceiver.metrics();
        const values = (name: string) => latestByErrorType(metrics, name);
        if (check(values)) return { metrics, values };
        if (Date.now() > deadline) {
          throw new Error(`metrics never matched; last: ${JSON.stringify(['otel.sdk.exporter.span.exported', 'otel.sdk.exporter.log.exported', 'otel.sdk.processor.span.processed'].map(values))}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

  // Each /emit request also ends its own server span.
  it('counts what was exported, per signal, with the conventions\' attributes', async () => {
    await emit(25);
    await collector.waitForSpans((spans) => spans.length >= 26);
    const { metrics, values } = await waitForMetrics(
      (of) => of('otel.sdk.exporter.span.exported').ok === 26 && of('otel.sdk.exporter.log.exported').ok === 25,
    );
    expect(collector.spans()).toHaveLength(26);
    expect(collector.logRecords().filter((record) => record.body === 'work.done')).toHaveLength(25);
    expect(values('otel.sdk.processor.span.processed')).toEqual({ ok: 26 });
    expect(values('otel.sdk.exporter.span.inflight')).toEqual({ ok: 0 });
    expect(values('otel.sdk.processor.span.queue.size')).toEqual({ ok: 0 });
    expect(values('otel.sdk.processor.span.queue.capacity')).toEqual({ ok: 100 });
    const exported = metrics.filter((metric) => metric.name === 'otel.sdk.exporter.span.exported').at(-1)!;
    expect(exported).toMatchObject({ type: 'sum', unit: '{span}' });
    expect(exported.dataPoints[0]).toMatchObject({
      attributes: {
        'otel.component.type': 'otlp_http_span_exporter',
        'otel.component.name': 'otlp_http_span_exporter/0',
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(collector.url).port),
      },
    });
    const logs = metrics.filter((metric) => metric.name === 'otel.sdk.exporter.log.exported').at(-1)!;
    expect(logs.unit).toBe('{log_record}');
    expect(logs.resource['service.name']).toBe('self-metrics');
  });

  it('counts failed exports by error.type and drops by queue_full', async () => {
    collector.setFault({ status: 400 });
    await emit(20);
    await waitForMetrics((of) => of('otel.sdk.exporter.span.exported')['400'] === 21 && of('otel.sdk.exporter.log.exported')['400'] === 20);

    // Exports that hang fill the queue: 2 batches of 10 in flight, 100 waiting, the other 31
    // of the 151 spans dropped.
    collector.setFault({ hang: true });
    await emit(150);
    const { values } = await waitForMetrics((of) => of('otel.sdk.processor.span.processed').queue_full === 31);
    expect(values('otel.sdk.processor.span.processed')).toEqual({ ok: 26 + 21 + 20, queue_full: 31 });
    expect(values('otel.sdk.exporter.span.inflight')).toEqual({ ok: 20 });
    expect(values('otel.sdk.processor.span.queue.size')).toEqual({ ok: 100 });
    expect(values('otel.sdk.exporter.span.exported')).toEqual({ ok: 26, 400: 21 });
    collector.setFault(undefined);
  });
});
