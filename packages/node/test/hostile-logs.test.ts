import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';

interface Report {
  threw: string[];
  changed: string[];
  timings: Record<string, number>;
}

const KINDS = ['frozen', 'sealed', 'plain', 'cyclic', 'deep', 'huge', 'instance', 'buffer', 'map', 'throwing', 'http', 'socket', 'error'];
const LOGGERS = ['logger', 'pino', 'winston', 'console'];

describe('log calls with what real services log', () => {
  const receiver = useReceiver();

  it('never throw, never change what they were given, and export a bounded record for every line', async () => {
    const app = startApp(['--require', '@threadline/node/register', 'hostile-logs-app.cjs'], {
      OTEL_SERVICE_NAME: 'hostile',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BLRP_SCHEDULE_DELAY: '100',
      THREADLINE_CONSOLE: 'true',
    });
    const port = await app.waitForPort();
    let report: Report;
    try {
      report = (await (await fetch(`http://127.0.0.1:${port}/hostile`)).json()) as Report;
    } finally {
      setTimeout(() => app.child.kill('SIGTERM'), 3000);
    }
    expect({ threw: report.threw, changed: report.changed }).toEqual({ threw: [], changed: [] });
    expect(Object.keys(report.timings)).toHaveLength(KINDS.length * LOGGERS.length + 5);

    const expected = KINDS.length * LOGGERS.length + 5;
    await receiver.waitForRequests(1);
    const records = await waitForRecords(receiver, expected);
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    expect(receiver.errors).toEqual([]);
    expect(records).toHaveLength(expected);

    // Every record within the limits, whatever its line was given; what was cut is counted.
    for (const record of records) expect(JSON.stringify(record.attributes, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)).length).toBeLessThan(70 * 1024);
    // (console's body is the formatted text: the message, then the inspected object.)
    const body = (text: string) => records.find((record) => record.body === text || String(record.body).startsWith(`${text} `))!;
    // (pino itself stops at depth 5, so its deep line arrives with nothing left to cut; console's
    // text is util.inspect's, which shortens long strings itself.)
    const uncounted = ['hostile.huge', 'pino huge', 'winston huge', 'hostile.deep', 'winston deep', 'hostile.socket'].filter((name) => !(Number(body(name).attributes['threadline.truncated_values']) > 0));
    expect(uncounted).toEqual([]);
    expect((body('hostile.huge').attributes.payload as { text: string }).text).toHaveLength(4096);
    expect(body('hostile.cyclic').attributes.cyclic).toEqual({ name: 'cyclic', self: '[Circular]' });
    expect(body('hostile.throwing').attributes.throwing).toEqual({ ok: true, broken: '[unreadable]' });
    expect(body('hostile.instance').attributes.order).toEqual({ id: 10, lines: [{ sku: 'a', quantity: 2 }] });
    expect(body('hostile.map').attributes.lookup).toEqual({ k: { v: 1 } });
    expect(body('hostile.error').attributes).toMatchObject({ 'error.type': 'Error', 'error.message': 'payment failed', 'error.code': 'E_PAYMENT' });

    // pino's records are what pino serialized: its serializers, redact and child bindings.
    const pinoHttp = body('pino http').attributes as Record<string, Record<string, unknown>>;
    expect(pinoHttp.req).toMatchObject({ method: 'GET', url: '/hostile' });
    // (The response has not been sent yet: pino's serializer gives its headers so far.)
    expect(pinoHttp.res).toEqual({ headers: { 'x-request-id': expect.stringMatching(/^[0-9a-f]{32}$/) } });
    expect(body('pino child line').attributes).toEqual({ component: 'billing', card: { number: '[Redacted]', brand: 'visa' }, event: 'charged', 'request.id': expect.any(String) });
    expect(body('payment failed').attributes.err).toMatchObject({ type: 'Error', message: 'payment failed: connection reset', code: 'E_PAYMENT', errno: 42 }); // pino's serializer joins the causes
    expect(records.find((record) => record.body === '' && record.attributes.orderId === 7)?.attributes).toEqual({ orderId: 7, nested: { a: 1 }, 'request.id': expect.any(String) });
    // winston keeps the app's own `service` and `event`.
    expect(body('winston event line').attributes).toMatchObject({ service: 'billing-worker', event: 'order.shipped', orderId: 11 });

    // stdout has a line for each call too.
    // (pino writes its 1 MB line straight to the pipe, so console's lines can land inside it.)
    const lines = result.stdout.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
    const missing = KINDS.filter((name) => name !== 'huge').flatMap((kind) => [
      lines.some((line) => line.event === `hostile.${kind}`) ? [] : [`logger ${kind}`],
      lines.some((line) => line.msg === `pino ${kind}`) ? [] : [`pino ${kind}`],
      lines.some((line) => line.message === `winston ${kind}`) ? [] : [`winston ${kind}`],
    ].flat());
    expect(missing).toEqual([]);
  }, 60_000);
});

async function waitForRecords(receiver: ReturnType<typeof useReceiver>, count: number) {
  const deadline = Date.now() + 20_000;
  while (receiver.logRecords().filter((record) => record.resource['service.name'] === 'hostile').length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return receiver.logRecords().filter((record) => typeof record.body === 'string' && !String(record.body).startsWith('heartbeat'));
}
