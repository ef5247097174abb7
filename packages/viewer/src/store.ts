import { BoundedList } from './bounded-list';
import { summarizeTrace } from './trace-summary';
import type { StoreCounts, StoredHistogramPoint, StoredLogRecord, StoredSpan, TraceSummary, ViewerLimits } from './types';

export const DEFAULT_LIMITS: ViewerLimits = {
  maxTraces: 5000,
  maxSpansPerTrace: 1000,
  maxLogRecords: 50_000,
  maxMetricPoints: 100_000,
};

/**
 * Everything the viewer received, in memory and bounded: the oldest trace (whole), log record
 * or metric point goes first when a limit is reached, and what was dropped is counted.
 */
export class TelemetryStore {
  readonly limits: ViewerLimits;
  private readonly traces = new Map<string, StoredSpan[]>();
  private readonly summaries = new Map<string, TraceSummary>();
  readonly logs: BoundedList<StoredLogRecord>;
  readonly points: BoundedList<StoredHistogramPoint>;
  private spanCount = 0;
  private droppedTraces = 0;
  private droppedSpans = 0;

  constructor(limits: Partial<ViewerLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.logs = new BoundedList(this.limits.maxLogRecords);
    this.points = new BoundedList(this.limits.maxMetricPoints);
  }

  addSpan(span: StoredSpan): void {
    let spans = this.traces.get(span.traceId);
    if (!spans) {
      spans = [];
      this.traces.set(span.traceId, spans);
      if (this.traces.size > this.limits.maxTraces) this.dropOldestTrace();
    }
    if (spans.length >= this.limits.maxSpansPerTrace) {
      this.droppedSpans++;
      return;
    }
    spans.push(span);
    this.spanCount++;
    this.summaries.delete(span.traceId);
  }

  addLogRecord(record: StoredLogRecord): void {
    this.logs.push(record);
  }

  addHistogramPoint(point: StoredHistogramPoint): void {
    this.points.push(point);
  }

  /** Traces in arrival order of their first span. */
  traceIds(): IterableIterator<string> {
    return this.traces.keys();
  }

  spans(traceId: string): readonly StoredSpan[] {
    return this.traces.get(traceId) ?? [];
  }

  summary(traceId: string): TraceSummary | undefined {
    const cached = this.summaries.get(traceId);
    if (cached) return cached;
    const spans = this.traces.get(traceId);
    if (!spans || spans.length === 0) return undefined;
    const summary = summarizeTrace(spans);
    this.summaries.set(traceId, summary);
    return summary;
  }

  counts(): StoreCounts {
    return {
      traces: this.traces.size,
      spans: this.spanCount,
      logRecords: this.logs.size,
      metricPoints: this.points.size,
      dropped: {
        traces: this.droppedTraces,
        spans: this.droppedSpans,
        logRecords: this.logs.dropped,
        metricPoints: this.points.dropped,
      },
      limits: this.limits,
    };
  }

  private dropOldestTrace(): void {
    const oldest = this.traces.keys().next().value;
    if (oldest === undefined) return;
    this.spanCount -= this.traces.get(oldest)?.length ?? 0;
    this.traces.delete(oldest);
    this.summaries.delete(oldest);
    this.droppedTraces++;
  }
}
