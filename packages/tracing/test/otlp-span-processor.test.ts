import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { createDiagnostics } from '@threadline/core';
import type { SignalExportConfig } from '@threadline/core';
import { OtlpReceiver } from '@threadline/testing';
import { OtlpProtobufSpanProcessor } from '../src/otlp-span-processor';

const receiver = new OtlpReceiver();
let url: string;
beforeAll(async () => {
  url = `${await receiver.start()}/v1/traces`;
});
afterAll(() => receiver.stop());
beforeEach(() => {
  receiver.clear();
  receiver.setFault(undefined);
});

function setUp(batch: { maxExportBatchSize?: number; maxQueueSize?: number; maxQueueBytes?: number; scheduleDelayMillis?: number } = {}, timeoutMillis = 10_000) {
  const lines: string[] = [];
  const diagnostics = createDiagnostics('info', (line) => lines.push(line));
  const config: SignalExportConfig = { url, headers: { 'x-tenant': 'a' }, protocol: 'http/protobuf', compression: 'none', timeoutMillis };
  const processor = new OtlpProtobufSpanProcessor(config, { maxExportBatchSize: 10, maxQueueSize: 100, maxQueueBytes: 16 * 1024 * 1024, scheduleDelayMillis: 60_000, exportTimeoutMillis: 30_000, ...batch }, diagnostics);
  const provider = new TracerProvider({ resource: resourceFromAttributes({ 'service.name': 'orders' }), spanProcessors: [processor] });
  const tracer = provider.getTracer('checkout', '2.0.0');
  const endSpans = (count: number, prefix = 'span') => {
    for (let index = 0; index < count; index++) tracer.startSpan(`${prefix} ${index}`, { attributes: { index } }).end();
  };
  return { processor, provider, tracer, endSpans, diagnostics, lines };
}

describe('OTLP protobuf span processor', () => {
  it('sends a full batch at once and the rest on flush, every span intact', async () => {
    const { processor, endSpans } = setUp();
    endSpans(25);
    const full = await receiver.waitForRequests(2);
    expect(full.map((request) => request.headers['x-tenant'])).toEqual(['a', 'a']);
    expect(receiver.spans()).toHaveLength(20);
    await processor.forceFlush();
    expect(receiver.requests).toHaveLength(3);
    const spans = receiver.spans();
    expect(spans.map((span) => span.attributes.index).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 25 }, (_, index) => index));
    expect(spans[0]).toMatchObject({ resource: { 'service.name': 'orders' }, scope: { name: 'checkout', version: '2.0.0' } });
  });

  it('sends a partial batch after the schedule delay, and never an unsampled span', async () => {
    const { tracer, endSpans } = setUp({ scheduleDelayMillis: 50 });
    const unsampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: '3'.repeat(32), spanId: '4'.repeat(16), traceFlags: TraceFlags.NONE });
    tracer.startSpan('unsampled', {}, unsampled).end();
    endSpans(3);
    const spans = await receiver.waitForSpans((received) => received.length >= 3, 2000);
    expect(spans.map((span) => span.name).sort()).toEqual(['span 0', 'span 1', 'span 2']);
  });

  it('drops and counts spans beyond the queue limit while exports are stuck', async () => {
    receiver.setFault({ hang: true });
    const { processor, endSpans, lines } = setUp({ maxQueueSize: 30 }, 300);
    endSpans(20); // two batches in flight, hanging
    endSpans(35, 'later'); // 30 may wait; 5 are dropped
    expect(processor.droppedSpans).toBe(5);
    expect(lines.some((line) => line.includes('spans export queue full'))).toBe(true);
    await receiver.waitForRequests(2);
    receiver.setFault(undefined);
    await processor.forceFlush();
    expect(receiver.spans().map((span) => span.name).filter((name) => name.startsWith('later'))).toHaveLength(30);
    expect(processor.failedExports).toBe(2);
  });

  it('drops and counts spans beyond the queue\'s byte limit, in flight included, while exports are stuck', async () => {
    receiver.setFault({ hang: true });
    const { processor, tracer, lines } = setUp({ maxQueueSize: 1000, maxQueueBytes: 64 * 1024 }, 300);
    const payload = 'x'.repeat(4000);
    for (let index = 0; index < 40; index++) tracer.startSpan(`big ${index}`, { attributes: { payload } }).end();
    // About 4 KiB a span: 16 fit in 64 KiB (in flight or waiting), the other 24 are dropped.
    expect(processor.droppedSpans).toBeGreaterThanOrEqual(22);
    expect(processor.droppedSpans).toBeLessThanOrEqual(26);
    expect(lines.some((line) => line.includes('spans export queue full'))).toBe(true);
    await receiver.waitForRequests(1);
    receiver.setFault(undefined);
    await processor.forceFlush();
    // Once the stuck exports ended (timed out), the bytes they held count no more.
    const before = processor.droppedSpans;
    for (let index = 0; index < 10; index++) tracer.startSpan(`after ${index}`, { attributes: { payload } }).end();
    await processor.forceFlush();
    expect(processor.droppedSpans).toBe(before);
    expect(receiver.spans().filter((span) => span.name.startsWith('after'))).toHaveLength(10);
  });

  it('counts a rejected export with its cause and keeps going', async () => {
    receiver.setFault({ status: 400, times: 1 });
    const { processor, endSpans, lines } = setUp();
    endSpans(10);
    await processor.forceFlush();
    expect(processor.failedExports).toBe(1);
    expect(processor.lastError).toContain('400');
    expect(lines.some((line) => line.includes('telemetry export failed'))).toBe(true);
    endSpans(10);
    await processor.forceFlush();
    expect(receiver.spans()).toHaveLength(10);
  });

  it('exports what ended before shutdown and nothing after it', async () => {
    const { provider, endSpans } = setUp({ scheduleDelayMillis: 50 });
    endSpans(4);
    await provider.shutdown();
    expect(receiver.spans().map((span) => span.name).sort()).toEqual(['span 0', 'span 1', 'span 2', 'span 3']);
    const requestsAtShutdown = receiver.requests.length;
    endSpans(4, 'after');
    // A span ended after shutdown would go out at the next batch timer or flush; give both a
    // chance (the processor's flush, and longer than a short schedule delay) before looking.
    await provider.forceFlush();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(requestsAtShutdown);
    expect(receiver.spans().map((span) => span.name).sort()).toEqual(['span 0', 'span 1', 'span 2', 'span 3']);
  });
});
