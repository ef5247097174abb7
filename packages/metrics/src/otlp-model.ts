import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { HistogramPointWithExemplars, StoredExemplar } from './duration-histograms';

/** OTLP metrics in a shape both encoders read; times are Unix nanoseconds. */
export type AttributeMap = Record<string, unknown>;

export interface NumberPoint {
  attributes: AttributeMap;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: number;
  isInt: boolean;
}

export interface HistogramPoint {
  attributes: AttributeMap;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  bucketCounts: number[];
  explicitBounds: number[];
  exemplars: StoredExemplar[];
}

export type OtlpMetric =
  | { name: string; description: string; unit: string; kind: 'gauge'; points: NumberPoint[] }
  | { name: string; description: string; unit: string; kind: 'sum'; temporality: number; isMonotonic: boolean; points: NumberPoint[] }
  | { name: string; description: string; unit: string; kind: 'histogram'; temporality: number; points: HistogramPoint[] };

export interface OtlpResourceMetrics {
  resource: AttributeMap;
  scopes: { name: string; version: string; metrics: OtlpMetric[] }[];
}

// sdk-metrics enums (DataPointType, AggregationTemporality, ValueType) and OTLP's.
const HISTOGRAM = 0;
const GAUGE = 2;
const SUM = 3;
const SDK_DELTA = 0;
const OTLP_DELTA = 1;
const OTLP_CUMULATIVE = 2;
const VALUE_TYPE_INT = 0;

const nanos = ([seconds, nanoseconds]: [number, number]): bigint => BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);

/**
 * Converts a collection (the SDK's instruments and Threadline's own histograms, which carry the
 * exemplars the 2.x data model has no place for) to the OTLP model, one entry per scope.
 */
export function toOtlpModel(collected: ResourceMetrics): OtlpResourceMetrics {
  const byScope = new Map<string, ResourceMetrics['scopeMetrics'][number]>();
  for (const scope of collected.scopeMetrics) {
    const key = `${scope.scope.name}\u0000${scope.scope.version ?? ''}`;
    const seen = byScope.get(key);
    if (seen) byScope.set(key, { scope: seen.scope, metrics: [...seen.metrics, ...scope.metrics] });
    else byScope.set(key, scope);
  }
  return {
    resource: collected.resource.attributes as AttributeMap,
    scopes: [...byScope.values()].map((scope) => ({
      name: scope.scope.name,
      version: scope.scope.version ?? '',
      metrics: scope.metrics.map((metric): OtlpMetric => {
        const base = { name: metric.descriptor.name, description: metric.descriptor.description, unit: metric.descriptor.unit };
        const temporality = metric.aggregationTemporality === SDK_DELTA ? OTLP_DELTA : OTLP_CUMULATIVE;
        const isInt = metric.descriptor.valueType === VALUE_TYPE_INT;
        if (metric.dataPointType === HISTOGRAM) {
          return {
            ...base,
            kind: 'histogram',
            temporality,
            points: (metric.dataPoints as DataPoint<Histogram>[]).map((point) => ({
              attributes: point.attributes as AttributeMap,
              startTimeUnixNano: nanos(point.startTime),
              timeUnixNano: nanos(point.endTime),
              count: point.value.count,
              sum: point.value.sum,
              min: point.value.min,
              max: point.value.max,
              bucketCounts: point.value.buckets.counts,
              explicitBounds: point.value.buckets.boundaries,
              exemplars: (point as HistogramPointWithExemplars).exemplars ?? [],
            })),
          };
        }
        const points = (metric.dataPoints as DataPoint<number>[]).map((point) => ({
          attributes: point.attributes as AttributeMap,
          startTimeUnixNano: nanos(point.startTime),
          timeUnixNano: nanos(point.endTime),
          value: point.value,
          isInt,
        }));
        if (metric.dataPointType === SUM) return { ...base, kind: 'sum', temporality, isMonotonic: 'isMonotonic' in metric ? Boolean(metric.isMonotonic) : false, points };
        if (metric.dataPointType === GAUGE) return { ...base, kind: 'gauge', points };
        return { ...base, kind: 'gauge', points: [] };
      }),
    })),
  };
}
