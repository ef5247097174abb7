import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { BatchObservableCallback, Meter } from '@opentelemetry/api';

const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weakcb' };

/**
 * Runtime metrics with the conventions' names: event-loop delay (p50, p99) and utilization,
 * V8 heap used and limit, GC durations, process CPU time and memory, active handles.
 * Returns the function that stops the samplers.
 */
export function recordRuntimeMetrics(meter: Meter): () => void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let lastUtilization = performance.eventLoopUtilization();

  const delayP50 = meter.createObservableGauge('nodejs.eventloop.delay.p50', { unit: 's', description: 'Median event loop delay.' });
  const delayP99 = meter.createObservableGauge('nodejs.eventloop.delay.p99', { unit: 's', description: '99th percentile event loop delay.' });
  const utilization = meter.createObservableGauge('nodejs.eventloop.utilization', { unit: '1', description: 'Event loop utilization since the last collection.' });
  const heapUsed = meter.createObservableGauge('v8js.memory.heap.used', { unit: 'By', description: 'V8 heap in use.' });
  const heapLimit = meter.createObservableGauge('v8js.memory.heap.limit', { unit: 'By', description: 'V8 heap size limit.' });
  const cpu = meter.createObservableCounter('process.cpu.time', { unit: 's', description: 'CPU time of the process.' });
  const memory = meter.createObservableUpDownCounter('process.memory.usage', { unit: 'By', description: 'Resident set size of the process.' });
  const handles = meter.createObservableUpDownCounter('nodejs.active_handles', { unit: '{handle}', description: 'Active handles and requests keeping the event loop alive.' });
  const gc = meter.createHistogram('v8js.gc.duration', { unit: 's', description: 'Garbage collection durations.', advice: { explicitBucketBoundaries: [0.01, 0.1, 1, 10] } });

  const observables = [delayP50, delayP99, utilization, heapUsed, heapLimit, cpu, memory, handles];
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
      const heap = getHeapStatistics();
      result.observe(heapUsed, heap.used_heap_size);
      result.observe(heapLimit, heap.heap_size_limit);
      const usage = process.cpuUsage();
      result.observe(cpu, usage.user / 1e6, { 'cpu.mode': 'user' });
      result.observe(cpu, usage.system / 1e6, { 'cpu.mode': 'system' });
      result.observe(memory, process.memoryUsage.rss());
      result.observe(handles, process.getActiveResourcesInfo().length);
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
