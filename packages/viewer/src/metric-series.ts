import { addCounts, quantile, subtractCounts } from './histogram-math';
import type { StoredExemplar, StoredHistogramPoint } from './types';

export const DEFAULT_METRIC = 'http.server.request.duration';

export interface MetricWindow {
  startMillis: number;
  requests: number;
  ratePerSecond: number;
  errors: number;
  errorRate: number;
  /** Milliseconds (for metrics in seconds or milliseconds), else the metric's unit. */
  p95: number | null;
  p99: number | null;
}

export interface ChartExemplar extends StoredExemplar {
  /** The measurement in the same unit as p95/p99. */
  valueMillis: number;
  /** The exemplar's series is a failing one (5xx status or an `error.type`). */
  error: boolean;
}

export interface MetricSeries {
  service: string;
  route: string;
  totals: Omit<MetricWindow, 'startMillis' | 'ratePerSecond'>;
  windows: MetricWindow[];
  exemplars: ChartExemplar[];
}

export interface MetricQuery {
  metric?: string;
  service?: string;
  route?: string;
  sinceMillis?: number;
  untilMillis?: number;
  windowMillis?: number;
}

interface Increment {
  point: StoredHistogramPoint;
  count: number;
  bucketCounts: number[];
}

const unitScale = (unit: string): number => (unit === 's' ? 1000 : 1);

export function isErrorPoint(point: StoredHistogramPoint): boolean {
  const status = Number(point.attributes['http.response.status_code'] ?? 0);
  return status >= 500 || point.attributes['error.type'] !== undefined;
}

/** What each exported point added since the previous point of its series. */
function increments(points: readonly StoredHistogramPoint[]): Increment[] {
  const last = new Map<string, StoredHistogramPoint>();
  const result: Increment[] = [];
  for (const point of [...points].sort((a, b) => a.timeMillis - b.timeMillis)) {
    if (!point.cumulative) {
      result.push({ point, count: point.count, bucketCounts: point.bucketCounts });
      continue;
    }
    const key = `${point.service}\u0000${point.instance}\u0000${JSON.stringify(point.attributes)}`;
    const previous = last.get(key);
    last.set(key, point);
    const restarted = !previous || previous.startMillis !== point.startMillis || previous.count > point.count;
    if (restarted) result.push({ point, count: point.count, bucketCounts: point.bucketCounts });
    else if (point.count > previous.count) {
      result.push({ point, count: point.count - previous.count, bucketCounts: subtractCounts(point.bucketCounts, previous.bucketCounts) });
    }
  }
  return result;
}

function summarize(parts: readonly Increment[], scale: number): Omit<MetricWindow, 'startMillis' | 'ratePerSecond'> {
  let requests = 0;
  let errors = 0;
  const counts: number[] = [];
  let bounds: number[] = [];
  for (const part of parts) {
    requests += part.count;
    if (isErrorPoint(part.point)) errors += part.count;
    addCounts(counts, part.bucketCounts);
    if (part.point.explicitBounds.length > bounds.length) bounds = part.point.explicitBounds;
  }
  const p95 = quantile(0.95, counts, bounds);
  const p99 = quantile(0.99, counts, bounds);
  return {
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    p95: p95 === undefined ? null : p95 * scale,
    p99: p99 === undefined ? null : p99 * scale,
  };
}

/**
 * About 40 windows over the range, but never shorter than twice the services' export interval
 * (the typical gap between points): a window with no export in it would read as zero traffic.
 */
function defaultWindow(parts: readonly Increment[], rangeMillis: number): number {
  const timesByExporter = new Map<string, Set<number>>();
  for (const { point } of parts) {
    const key = `${point.service}\u0000${point.instance}`;
    timesByExporter.set(key, (timesByExporter.get(key) ?? new Set()).add(point.timeMillis));
  }
  const gaps: number[] = [];
  for (const times of timesByExporter.values()) {
    const sorted = [...times].sort((a, b) => a - b);
    for (let index = 1; index < sorted.length; index++) gaps.push(sorted[index]! - sorted[index - 1]!);
  }
  gaps.sort((a, b) => a - b);
  const typicalGap = gaps[Math.floor(gaps.length / 2)] ?? 0;
  return Math.max(1000, Math.ceil(Math.max(rangeMillis / 40, typicalGap * 2) / 1000) * 1000);
}

/** Request rate, error rate and p95/p99 over time for each service and route, with exemplars. */
export function computeMetricSeries(points: readonly StoredHistogramPoint[], query: MetricQuery = {}): { windowMillis: number; series: MetricSeries[] } {
  const metric = query.metric ?? DEFAULT_METRIC;
  const relevant = points.filter((point) => point.metric === metric && (!query.service || point.service === query.service));
  const all = increments(relevant).filter(({ point }) =>
    (query.sinceMillis === undefined || point.timeMillis >= query.sinceMillis) &&
    (query.untilMillis === undefined || point.timeMillis <= query.untilMillis) &&
    (!query.route || String(point.attributes['http.route'] ?? '') === query.route));
  if (all.length === 0) return { windowMillis: query.windowMillis ?? 1000, series: [] };
  const from = Math.min(...all.map(({ point }) => point.timeMillis));
  const to = Math.max(...all.map(({ point }) => point.timeMillis));
  const windowMillis = query.windowMillis ?? defaultWindow(all, to - from);
  const groups = new Map<string, Increment[]>();
  for (const part of all) {
    const key = `${part.point.service}\u0000${String(part.point.attributes['http.route'] ?? '')}`;
    groups.set(key, [...(groups.get(key) ?? []), part]);
  }
  const series: MetricSeries[] = [];
  for (const [key, parts] of groups) {
    const [service = '', route = ''] = key.split('\u0000');
    const scale = unitScale(parts[0]!.point.unit);
    const byWindow = new Map<number, Increment[]>();
    for (const part of parts) {
      const start = from + Math.floor((part.point.timeMillis - from) / windowMillis) * windowMillis;
      byWindow.set(start, [...(byWindow.get(start) ?? []), part]);
    }
    const windows: MetricWindow[] = [];
    for (let start = from; start <= to; start += windowMillis) {
      const summary = summarize(byWindow.get(start) ?? [], scale);
      windows.push({ startMillis: start, ratePerSecond: summary.requests / (windowMillis / 1000), ...summary });
    }
    const exemplars = new Map<string, ChartExemplar>();
    for (const { point } of parts) {
      for (const exemplar of point.exemplars) {
        exemplars.set(`${exemplar.traceId}/${exemplar.spanId}`, { ...exemplar, valueMillis: exemplar.value * scale, error: isErrorPoint(point) });
      }
    }
    series.push({ service, route: route || '(no route)', totals: summarize(parts, scale), windows, exemplars: [...exemplars.values()] });
  }
  series.sort((a, b) => a.service.localeCompare(b.service) || a.route.localeCompare(b.route));
  return { windowMillis, series };
}
