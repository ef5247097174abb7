import type { AttributeMap, ReceivedLogRecord, ReceivedMetric, ReceivedSpan } from '@threadline/testing';
import type { SpanStatus, StoredExemplar, StoredHistogramPoint, StoredLogRecord, StoredSpan } from './types';

/** Conversions from the decoded OTLP shapes of `@threadline/testing` to what the viewer keeps. */

const STATUS: Record<number, SpanStatus> = { 0: 'unset', 1: 'ok', 2: 'error' };
/** OTLP severity number ranges (logs data model): 1-4 trace, 5-8 debug, 9-12 info, ... */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const toMillis = (nanos: bigint): number => Number(nanos / 1000n) / 1000;
const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export function toStoredSpan(span: ReceivedSpan): StoredSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    service: text(span.resource['service.name']),
    version: text(span.resource['service.version']),
    startMillis: toMillis(span.startTimeUnixNano),
    durationMillis: toMillis(span.endTimeUnixNano - span.startTimeUnixNano),
    status: STATUS[span.status.code] ?? 'unset',
    statusMessage: span.status.message,
    attributes: span.attributes,
    events: span.events,
  };
}

export function levelOf(severityText: string, severityNumber: number): string {
  if (severityText) return severityText.toLowerCase();
  if (severityNumber < 1) return '';
  return LEVELS[Math.min(LEVELS.length - 1, Math.floor((severityNumber - 1) / 4))] ?? '';
}

export function toStoredLogRecord(record: ReceivedLogRecord): StoredLogRecord {
  const body = typeof record.body === 'object' && record.body !== null ? JSON.stringify(record.body) : text(record.body);
  return {
    timeMillis: record.timeUnixNano > 0n ? toMillis(record.timeUnixNano) : Date.now(),
    service: text(record.resource['service.name']),
    version: text(record.resource['service.version']),
    level: levelOf(record.severityText, record.severityNumber),
    body,
    traceId: record.traceId,
    spanId: record.spanId,
    requestId: text(record.attributes['request.id']),
    attributes: record.attributes,
  };
}

function toExemplar(raw: Record<string, unknown>): StoredExemplar | undefined {
  const traceId = text(raw.traceId);
  if (!traceId) return undefined;
  const filtered = (raw.filteredAttributes as { key: string; value: Record<string, unknown> }[] | undefined) ?? [];
  const requestId = filtered.find((entry) => entry.key === 'request.id')?.value?.stringValue;
  return {
    traceId,
    spanId: text(raw.spanId),
    requestId: text(requestId),
    value: Number(raw.asDouble ?? raw.asInt ?? 0),
    timeMillis: toMillis(BigInt(text(raw.timeUnixNano) || '0')),
  };
}

/** Histogram points only: they carry the request rate, error rate, latency and exemplars. */
export function toStoredHistogramPoints(metric: ReceivedMetric): StoredHistogramPoint[] {
  if (metric.type !== 'histogram') return [];
  // AGGREGATION_TEMPORALITY_DELTA is 1 (OTLP metrics.proto); anything else is read as cumulative.
  const cumulative = metric.aggregationTemporality !== 1;
  return metric.dataPoints.map((point) => ({
    metric: metric.name,
    unit: metric.unit,
    service: text(metric.resource['service.name']),
    instance: text(metric.resource['service.instance.id']),
    attributes: point.attributes as AttributeMap,
    cumulative,
    startMillis: toMillis(BigInt(text(point.startTimeUnixNano) || '0')),
    timeMillis: toMillis(BigInt(text(point.timeUnixNano) || '0')),
    count: Number(point.count ?? 0),
    sum: Number(point.sum ?? 0),
    bucketCounts: ((point.bucketCounts as unknown[] | undefined) ?? []).map(Number),
    explicitBounds: ((point.explicitBounds as unknown[] | undefined) ?? []).map(Number),
    exemplars: ((point.exemplars as Record<string, unknown>[] | undefined) ?? [])
      .map(toExemplar)
      .filter((exemplar): exemplar is StoredExemplar => exemplar !== undefined),
  }));
}
