export type {
  AttributeMap,
  AttributeValue,
  SpanStatus,
  StoreCounts,
  StoredExemplar,
  StoredHistogramPoint,
  StoredLogRecord,
  StoredSpan,
  TraceQuery,
  TraceSummary,
  Viewer,
  ViewerLimits,
  ViewerOptions,
} from './types';
export type { LogTerm } from './log-query';
export type { ChartExemplar, MetricQuery, MetricSeries, MetricWindow } from './metric-series';
export type { ServiceChanges } from './changes';
export { DEFAULT_HOST, DEFAULT_OTLP_PORT, DEFAULT_UI_PORT, startViewer } from './viewer';
export { DEFAULT_LIMITS, TelemetryStore } from './store';
export { matchesLogQuery, parseLogQuery, queryLogs } from './log-query';
export { computeMetricSeries } from './metric-series';
export { findFailureOrigin, findRootSpan, summarizeTrace } from './trace-summary';
