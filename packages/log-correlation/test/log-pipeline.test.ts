import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ThreadlineOptions } from '@threadline/core';
import { createDiagnostics, createRequestContext, createResourceAttributes, resolveConfig, withRequestContext } from '@threadline/core';
import { OtlpReceiver } from '@threadline/testing';
import { createLogPipeline } from '../src/log-pipeline';

const receiver = new OtlpReceiver();
let endpoint: string;
const manager = new AsyncLocalStorageContextManager();
beforeAll(async () => {
  context.setGlobalContextManager(manager.enable());
  endpoint = await receiver.start();
});
afterAll(async () => {
  context.disable();
  await receiver.stop();
});
beforeEach(() => {
  receiver.clear();
  receiver.setFault(undefined);
});

function pipeline(options: ThreadlineOptions) {
  const { config } = resolveConfig({ serviceName: 'orders', endpoint, ...options }, {});
  return createLogPipeline(config, createResourceAttributes(config), createDiagnostics('none'));
}

const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };
function inRequest(fn: () => void): void {
  const request = createRequestContext('req-42', undefined);
  request.attributes.accountType = 'enterprise';
  context.with(withRequestContext(trace.setSpanContext(ROOT_CONTEXT, spanContext), request), fn);
}

describe('log pipeline', () => {
  it.each(['http/protobuf', 'http/json'] as const)('exports a record with its trace, span and request over %s', async (protocol) => {
    const logs = pipeline({ logsProtocol: protocol });
    inRequest(() => logs.sink.emit({ level: 'warn', body: 'stock.low', attributes: { sku: 'A-1' } }));
    expect(logs.hasPendingWork()).toBe(true);
    await logs.forceFlush();
    expect(receiver.requests.map((request) => request.contentType)).toEqual([protocol === 'http/json' ? 'json' : 'protobuf']);
    expect(receiver.logRecords()).toEqual([
      expect.objectContaining({
        traceId: spanContext.traceId,
        spanId: spanContext.spanId,
        severityNumber: 13,
        severityText: 'WARN',
        body: 'stock.low',
        attributes: { accountType: 'enterprise', sku: 'A-1', 'request.id': 'req-42' },
        resource: expect.objectContaining({ 'service.name': 'orders' }),
        scope: expect.objectContaining({ name: '@threadline/log-correlation' }),
      }),
    ]);
    expect(logs.hasPendingWork()).toBe(false);
    await logs.shutdown();
  });

  it('sends to OTLP and the console exporter when both are configured', async () => {
    const printed: unknown[] = [];
    const dir = jest.spyOn(console, 'dir').mockImplementation((item) => void printed.push(item));
    try {
      const logs = pipeline({ logsExporter: ['otlp', 'console'] });
      logs.sink.emit({ level: 'info', body: 'both.ways', attributes: {} });
      await logs.forceFlush();
      expect(receiver.logRecords().map((record) => record.body)).toEqual(['both.ways']);
      expect(JSON.stringify(printed)).toContain('both.ways');
      await logs.shutdown();
    } finally {
      dir.mockRestore();
    }
  });

  it('counts a rejected export and sends nothing with the exporter off', async () => {
    receiver.setFault({ status: 400 });
    const failing = pipeline({});
    failing.sink.emit({ level: 'error', body: 'lost', attributes: {} });
    await failing.forceFlush();
    expect(failing.exportFailures()).toMatchObject({ count: 1, lastError: expect.stringContaining('400') });
    receiver.setFault(undefined);
    receiver.clear();
    const off = pipeline({ logsExporter: ['none'] });
    off.sink.emit({ level: 'error', body: 'nowhere', attributes: {} });
    await off.forceFlush();
    expect(receiver.requests).toHaveLength(0);
    expect(off.hasPendingWork()).toBe(false);
  });
});
