import type { AttributeMap, HistogramPoint, NumberPoint, OtlpResourceMetrics } from './otlp-model';
import { ProtobufWriter, encodeResourceField, writeAttributes, writeScope } from '@threadline/core';
import type { StoredExemplar } from './duration-histograms';

/*
 * Field numbers from opentelemetry/proto/collector/metrics/v1 and metrics/v1 (OTLP 1.x):
 * ExportMetricsServiceRequest{1 resource_metrics}; ResourceMetrics{1 resource, 2 scope_metrics};
 * Resource{1 attributes}; ScopeMetrics{1 scope, 2 metrics}; InstrumentationScope{1 name, 2 version};
 * Metric{1 name, 2 description, 3 unit, 5 gauge, 7 sum, 9 histogram}; Gauge{1 data_points};
 * Sum{1 data_points, 2 aggregation_temporality, 3 is_monotonic}; Histogram{1 data_points, 2 temporality};
 * NumberDataPoint{7 attributes, 2 start, 3 time, 4 as_double, 6 as_int};
 * HistogramDataPoint{9 attributes, 2 start, 3 time, 4 count, 5 sum, 6 bucket_counts, 7 explicit_bounds, 8 exemplars, 11 min, 12 max};
 * Exemplar{7 filtered_attributes, 2 time, 3 as_double, 4 span_id, 5 trace_id};
 * KeyValue{1 key, 2 value}; AnyValue{1 string, 2 bool, 3 int, 4 double, 5 array}; ArrayValue{1 values}.
 */
export function encodeProtobuf(model: OtlpResourceMetrics): Uint8Array {
  const request = new ProtobufWriter(16 * 1024);
  request.message(1, (resourceMetrics) => {
    resourceMetrics.raw(encodeResourceField(model.resource));
    for (const scope of model.scopes) {
      resourceMetrics.message(2, (scopeMetrics) => {
        writeScope(scopeMetrics, 1, scope);
        for (const metric of scope.metrics) {
          scopeMetrics.message(2, (out) => {
            out.string(1, metric.name);
            if (metric.description) out.string(2, metric.description);
            if (metric.unit) out.string(3, metric.unit);
            if (metric.kind === 'gauge') out.message(5, (gauge) => metric.points.forEach((point) => gauge.message(1, (p) => writeNumberPoint(p, point))));
            if (metric.kind === 'sum') {
              out.message(7, (sum) => {
                metric.points.forEach((point) => sum.message(1, (p) => writeNumberPoint(p, point)));
                sum.uint(2, metric.temporality);
                sum.bool(3, metric.isMonotonic);
              });
            }
            if (metric.kind === 'histogram') {
              out.message(9, (histogram) => {
                metric.points.forEach((point) => histogram.message(1, (p) => writeHistogramPoint(p, point)));
                histogram.uint(2, metric.temporality);
              });
            }
          });
        }
      });
    }
  });
  return request.finish();
}

function writeNumberPoint(out: ProtobufWriter, point: NumberPoint): void {
  writeAttributes(out, 7, point.attributes);
  out.fixed64(2, point.startTimeUnixNano).fixed64(3, point.timeUnixNano);
  if (point.isInt) out.sfixed64(6, BigInt(Math.trunc(point.value)));
  else out.double(4, point.value);
}

function writeHistogramPoint(out: ProtobufWriter, point: HistogramPoint): void {
  writeAttributes(out, 9, point.attributes);
  out.fixed64(2, point.startTimeUnixNano).fixed64(3, point.timeUnixNano).fixed64(4, BigInt(point.count));
  if (point.sum !== undefined) out.double(5, point.sum);
  out.packedFixed64(6, point.bucketCounts.map(BigInt));
  if (point.explicitBounds.length > 0) out.packedDouble(7, point.explicitBounds);
  for (const exemplar of point.exemplars) out.message(8, (e) => writeExemplar(e, exemplar));
  if (point.min !== undefined && Number.isFinite(point.min)) out.double(11, point.min);
  if (point.max !== undefined && Number.isFinite(point.max)) out.double(12, point.max);
}

function writeExemplar(out: ProtobufWriter, exemplar: StoredExemplar): void {
  writeAttributes(out, 7, exemplar.filteredAttributes);
  out.fixed64(2, exemplar.timeUnixNano).double(3, exemplar.value);
  out.bytes(4, Buffer.from(exemplar.spanId, 'hex')).bytes(5, Buffer.from(exemplar.traceId, 'hex'));
}

/** OTLP/JSON: lowerCamelCase fields, 64-bit integers as strings, trace and span IDs as hex. */
export function encodeJson(model: OtlpResourceMetrics): Uint8Array {
  const attributes = (map: AttributeMap) =>
    Object.entries(map).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => ({ key, value: anyValue(value) }));
  const numberPoint = (point: NumberPoint) => ({
    attributes: attributes(point.attributes),
    startTimeUnixNano: String(point.startTimeUnixNano),
    timeUnixNano: String(point.timeUnixNano),
    ...(point.isInt ? { asInt: String(Math.trunc(point.value)) } : { asDouble: point.value }),
  });
  const body = {
    resourceMetrics: [{
      resource: { attributes: attributes(model.resource) },
      scopeMetrics: model.scopes.map((scope) => ({
        scope: { name: scope.name, version: scope.version },
        metrics: scope.metrics.map((metric) => {
          const base = { name: metric.name, description: metric.description, unit: metric.unit };
          if (metric.kind === 'gauge') return { ...base, gauge: { dataPoints: metric.points.map(numberPoint) } };
          if (metric.kind === 'sum') return { ...base, sum: { dataPoints: metric.points.map(numberPoint), aggregationTemporality: metric.temporality, isMonotonic: metric.isMonotonic } };
          return {
            ...base,
            histogram: {
              aggregationTemporality: metric.temporality,
              dataPoints: metric.points.map((point) => ({
                attributes: attributes(point.attributes),
                startTimeUnixNano: String(point.startTimeUnixNano),
                timeUnixNano: String(point.timeUnixNano),
                count: String(point.count),
                sum: point.sum,
                min: point.min !== undefined && Number.isFinite(point.min) ? point.min : undefined,
                max: point.max !== undefined && Number.isFinite(point.max) ? point.max : undefined,
                bucketCounts: point.bucketCounts.map(String),
                explicitBounds: point.explicitBounds,
                exemplars: point.exemplars.map((exemplar) => ({
                  filteredAttributes: attributes(exemplar.filteredAttributes),
                  timeUnixNano: String(exemplar.timeUnixNano),
                  asDouble: exemplar.value,
                  spanId: exemplar.spanId,
                  traceId: exemplar.traceId,
                })),
              })),
            },
          };
        }),
      })),
    }],
  };
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number' && Number.isInteger(value)) return { intValue: String(value) };
  if (typeof value === 'number') return { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { stringValue: String(value) };
}
