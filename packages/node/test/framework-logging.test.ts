import type { AttributeValue } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

describe('log records of framework loggers', () => {
  const receiver = useReceiver();

  it("exports Fastify's request logs as its serializers write them, and cyclic fields bounded", async () => {
    const app = startApp(['--require', '@threadline/node/register', 'framework-logging.cjs'], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const port = await app.waitForPort();
    for (const id of [1, 2, 3]) expect((await fetch(`http://127.0.0.1:${port}/orders/${id}`)).status).toBe(200);
    app.child.kill('SIGTERM');
    const result = await app.exited;
    // No "log records encoding failed: Maximum call stack size exceeded".
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const records = receiver.logRecords();
    const incoming = records.filter((record) => record.body === 'incoming request');
    expect(incoming).toHaveLength(3);
    // pino's `req` serializer: method, url, host, remote address; not the request object.
    expect(incoming[0]!.attributes.req).toMatchObject({ method: 'GET', url: '/orders/1' });
    expect(Object.keys(incoming[0]!.attributes.req as object).sort()).toEqual(['host', 'method', 'remoteAddress', 'remotePort', 'url']);
    const completed = records.filter((record) => record.body === 'request completed');
    expect(completed.map((record) => (record.attributes.res as { statusCode?: AttributeValue }).statusCode)).toEqual([200, 200, 200]);

    const cyclic = records.filter((record) => record.body === 'cyclic order');
    expect(cyclic).toHaveLength(3);
    let level = cyclic[0]!.attributes.order as Record<string, unknown>;
    for (let depth = 1; typeof level.self === 'object'; depth += 1) {
      expect(level.id).toBe('1');
      level = level.self as Record<string, unknown>;
      expect(depth).toBeLessThan(10);
    }
    // A cycle ends where it closes, as `[Circular]`, never walked to the depth limit.
    expect(level.self).toBe('[Circular]');
  });
});
