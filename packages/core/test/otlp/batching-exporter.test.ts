import { createDiagnostics } from '../../src/diagnostics';
import type { EncodedBatch } from '../../src/otlp/batching-exporter';
import { BatchingOtlpExporter } from '../../src/otlp/batching-exporter';

/** Each item is `size` bytes once encoded. */
class SizedBatch implements EncodedBatch<number> {
  count = 0;
  byteLength = 0;
  add(size: number): void {
    this.count++;
    this.byteLength += size;
  }
  seal(): Uint8Array {
    return new Uint8Array(this.byteLength);
  }
}

describe('the batching exporter queue', () => {
  const create = (maxQueueSize: number, maxQueueBytes: number) => {
    const lines: string[] = [];
    const exporter = new BatchingOtlpExporter<number>({
      what: 'log records',
      queueSizeVariable: 'OTEL_BLRP_MAX_QUEUE_SIZE',
      // Nothing is sent during the test: the schedule is long and no batch fills up.
      export: { url: 'http://127.0.0.1:9/v1/logs', headers: {}, protocol: 'http/protobuf', compression: 'none', timeoutMillis: 1000 },
      limits: { scheduleDelayMillis: 600_000, maxQueueSize, maxQueueBytes, maxExportBatchSize: 10_000, exportTimeoutMillis: 1000 },
      diagnostics: createDiagnostics('info', (line) => lines.push(line)),
      newBatch: () => new SizedBatch(),
      detached: (run) => run(),
    });
    return { exporter, lines };
  };

  it('is bounded in bytes as well as in items, and counts what it dropped', () => {
    const { exporter, lines } = create(2048, 1000);
    for (let i = 0; i < 10; i++) exporter.offer(300);
    // 4 x 300 bytes reach the 1000-byte bound; the 6 after are dropped.
    expect(exporter.dropped).toBe(6);
    expect(lines).toEqual(['threadline warn: log records export queue full: the log records export queue holds 1000 bytes, its limit (THREADLINE_EXPORT_QUEUE_MAX_BYTES); log records were dropped\n']);
    const kept = exporter.takeUndelivered();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ count: 4 });
    expect(kept[0]?.body.byteLength).toBe(1200);
  });

  it('keeps the item limit', () => {
    const { exporter } = create(3, 1_000_000);
    for (let i = 0; i < 5; i++) exporter.offer(10);
    expect(exporter.dropped).toBe(2);
    expect(exporter.takeUndelivered()[0]).toMatchObject({ count: 3 });
  });

  it('hands over nothing twice and accepts nothing after handing over', () => {
    const { exporter } = create(100, 1_000_000);
    exporter.offer(10);
    expect(exporter.takeUndelivered()).toHaveLength(1);
    exporter.offer(10);
    expect(exporter.takeUndelivered()).toEqual([]);
  });
});
