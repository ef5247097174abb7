import type { TelemetryStore } from './store';
import type { TraceQuery, TraceSummary } from './types';

export const DEFAULT_TRACE_LIMIT = 100;

function matches(summary: TraceSummary, query: TraceQuery): boolean {
  if (query.service && !summary.services.includes(query.service)) return false;
  if (query.route && !summary.route.includes(query.route) && !summary.name.includes(query.route)) return false;
  if (query.status && summary.status !== query.status) return false;
  if (query.minDurationMillis !== undefined && summary.durationMillis < query.minDurationMillis) return false;
  if (query.maxDurationMillis !== undefined && summary.durationMillis > query.maxDurationMillis) return false;
  if (query.traceId && !summary.traceId.startsWith(query.traceId.toLowerCase())) return false;
  if (query.requestId && summary.requestId !== query.requestId) return false;
  if (query.sinceMillis !== undefined && summary.startMillis < query.sinceMillis) return false;
  for (const [key, value] of Object.entries(query.tags ?? {})) {
    if (String(summary.tags[key]) !== value) return false;
  }
  return true;
}

/** Matching traces, newest first, at most `limit`; `total` counts every match. */
export function queryTraces(store: TelemetryStore, query: TraceQuery): { total: number; traces: TraceSummary[] } {
  const limit = query.limit ?? DEFAULT_TRACE_LIMIT;
  const found: TraceSummary[] = [];
  for (const traceId of store.traceIds()) {
    const summary = store.summary(traceId);
    if (summary && matches(summary, query)) found.push(summary);
  }
  found.sort((a, b) => b.startMillis - a.startMillis);
  return { total: found.length, traces: found.slice(0, limit) };
}
