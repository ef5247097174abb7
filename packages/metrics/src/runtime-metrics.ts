import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { BatchObservableCallback, Meter } from '@opentelemetry/api';

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

/**
 * Runtime metrics with the semantic-conventions registry's names: event-loop delay (p50, p99)
 * and utilization, V8 heap used and size per heap space (`v8js.memory.heap.limit` is deprecated
 * for `v8js.memory.heap.space.size`), GC durations, process CPU time and memory, and the active
 * resources keeping the loop alive by type (`v8js.resource.active`; the registry has no
 * `nodejs.active_handles`).
 * Returns the function that stops the samplers.
 */
export function recordRuntimeMetrics(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastUtilization = performance.eventLoopUtilization();

  const delayP50 = meter.createObservableGauge('nodejs.eventloop.delay.p50', { unit: 's', description: 'Median event loop delay.' });
  const delayP99 = meter.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: '99th percentile event loop delay.' });
  const utilization = meter.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Event loop utilization since the last collection.' });
  const heapUsed = meter.createObservableUpDownCounter('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use, per heap space.' });
  const heapSize = meter.createObservableUpDownCounter('v8js.memory.heap.space.size', { unit: 'By', description: 'V8 heap space size, per heap space.' });
  const cpu = meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time of the process.' });
  const memory = meter.createObservableUpDownCounter('process.memory.usage', { unit: 'By', description: 'Resident set size of the process.' });
  const resources = meter.createObservableGauge('v8js.resource.active', { unit: '{resource}', description: 'Active resources keeping the event loop alive, by type.' });
  const gc = meter.createHistogram('v8js.gc.duration', { unit: 's', description: 'Garbage collection durations.', advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] } });

  const observables = [delayP50, delayP99, utilization, heapUsed, heapSize, cpu, memory, resources];
  const observe: BatchObservableCallback = (result) => {
      // monitorEventLoopDelay reports nanoseconds; an unsampled histogram reports NaN.
      const p50 = delay.percentile(50);
      const p99 = delay.percentile(99);
      if (Number.isFinite(p50)) result.observe(delayP50, p50 / 1e9);
      if (Number.isFinite(p99)) result.observe(delayP99, p99 / 1e9);
      delay.reset();
      const now = performance.eventLoopUtilization();
      result.observe(utilization, performance.eventLoopUtilization(now, lastUtilization).utilization);
      lastUtilization = now;
      for (const space of getHeapSpaceStatistics()) {
        const attributes = { 'v8js.heap.space.name': space.space_name };
        result.observe(heapUsed, space.space_used_size, attributes);
        result.observe(heapSize, space.space_size, attributes);
      }
      const usage = process.cpuUsage();
      result.observe(cpu, usage.user / 1e6, { 'cpu.mode': 'user' });
      result.observe(cpu, usage.system / 1e6, { 'cpu.mode': 'system' });
      result.observe(memory, process.memoryUsage.rss());
      // A handful of libuv types (Timeout, TCPSocketWrap, ...): a bounded attribute.
      const byType = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) byType.set(type, (byType.get(type) ?? 0) + 1);
      for (const [type, count] of byType) result.observe(resources, count, { 'v8js.resource.type': type });
  };
  meter.addBatchObservableCallback(observe, observables);

  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      gc.record(entry.duration / 1000, { 'v8js.gc.type': GC_KINDS[kind ?? 0] ?? 'other' });
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  return () => {
    delay.disable();
    observer.disconnect();
    meter.removeBatchObservableCallback(observe, observables);
  };
}
