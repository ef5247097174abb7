import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import type { ExportStats, ExportedItem } from '@threadline/core';
import { exportStatsRegistry } from '@threadline/core';

const UNITS: Record<ExportedItem, string> = { span: '{span}', log: '{log_record}' };
const NOUNS: Record<ExportedItem, string> = { span: 'spans', log: 'log records' };

/**
 * Threadline's own export health under the semantic conventions' SDK metric names
 * (`otel.sdk.exporter.{span,log}.exported` / `.inflight`, `otel.sdk.processor.{span,log}.
 * processed` / `.queue.size` / `.queue.capacity`), read from each export queue's counts when
 * the metrics are collected, so they leave with the other metrics. Failures carry `error.type`
 * (an HTTP status, a connection error code, `timeout`, `rejected`, `queue_full`).
 */
export function recordSelfMetrics(meter: Meter, registry: () => readonly ExportStats[] = exportStatsRegistry): void {
  for (const item of ['span', 'log'] as const) {
    const unit = UNITS[item];
    const noun = NOUNS[item];
    const exported = meter.createObservableCounter(`otel.sdk.exporter.${item}.exported`, { unit, description: `The number of ${noun} for which the export has finished, either successful or failed.` });
    const inflight = meter.createObservableUpDownCounter(`otel.sdk.exporter.${item}.inflight`, { unit, description: `The number of ${noun} which were passed to the exporter, but that have not been exported yet.` });
    const processed = meter.createObservableCounter(`otel.sdk.processor.${item}.processed`, { unit, description: `The number of ${noun} for which the processing has finished, either successful or failed.` });
    const queueSize = meter.createObservableUpDownCounter(`otel.sdk.processor.${item}.queue.size`, { unit, description: `The number of ${noun} in the queue of a given instance of an SDK processor.` });
    const queueCapacity = meter.createObservableUpDownCounter(`otel.sdk.processor.${item}.queue.capacity`, { unit, description: `The maximum number of ${noun} the queue of a given instance of an SDK processor can hold.` });
    const observables: Observable[] = [exported, inflight, processed, queueSize, queueCapacity];
    const observe: BatchObservableCallback = (result) => {
      for (const stats of registry()) {
        if (stats.item !== item) continue;
        for (const [errorType, count] of stats.exported) result.observe(exported, count, withErrorType(stats.exporter, errorType));
        for (const [errorType, count] of stats.processed) result.observe(processed, count, withErrorType(stats.processor, errorType));
        result.observe(inflight, stats.inflight, stats.exporter);
        result.observe(queueSize, stats.queueSize, stats.processor);
        result.observe(queueCapacity, stats.queueCapacity, stats.processor);
      }
    };
    meter.addBatchObservableCallback(observe, observables);
  }
}

function withErrorType(attributes: ExportStats['exporter'], errorType: string): ExportStats['exporter'] {
  return errorType === '' ? attributes : { ...attributes, 'error.type': errorType };
}
