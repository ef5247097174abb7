import { gunzipSync } from 'node:zlib';
import type { AttributeMap, AttributeValue, ReceivedLogRecord, ReceivedMetric, ReceivedSpan, Signal } from './types';

/**
 * Decoding with the official OTLP message definitions: the compiled protobuf messages that
 * `@opentelemetry/otlp-transformer` 0.52 ships (later versions only encode).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root') as ProtoRoot;

interface ProtoMessageType {
  decode(buffer: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): Record<string, unknown>;
}
interface ProtoRoot {
  opentelemetry: { proto: { collector: Record<string, Record<string, Record<string, ProtoMessageType>>> } };
}

const collector = root.opentelemetry.proto.collector;
const REQUEST_TYPES: Record<Signal, ProtoMessageType> = {
  traces: collector.trace!.v1!.ExportTraceServiceRequest!,
  metrics: collector.metrics!.v1!.ExportMetricsServiceRequest!,
  logs: collector.logs!.v1!.ExportLogsServiceRequest!,
};

type Json = Record<string, unknown>;

/** Protobuf body -> plain object with JSON-mapping field names, 64-bit numbers as strings, IDs as hex. */
export function decodeProtobuf(signal: Signal, body: Uint8Array): Json {
  const type = REQUEST_TYPES[signal];
  const message = type.decode(body);
  const object = type.toObject(message, { longs: String, enums: Number, bytes: String });
  return idsToHex(object) as Json;
}

/** OTLP/JSON already carries hex IDs and integer enums (per the OTLP specification). */
export function decodeJson(body: Uint8Array): Json {
  return JSON.parse(Buffer.from(body).toString('utf8')) as Json;
}

/** The OTLP/HTTP request paths (OTLP specification) and the signal each one carries. */
export const OTLP_SIGNAL_PATHS: Readonly<Record<string, Signal>> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };

/** A request body as its headers describe it: gzip or not, JSON or protobuf. Throws when it cannot. */
export function decodeRequestBody(signal: Signal, raw: Uint8Array, encoding: { gzip: boolean; json: boolean }): Json {
  const payload = encoding.gzip ? gunzipSync(raw) : raw;
  return encoding.json ? decodeJson(payload) : decodeProtobuf(signal, payload);
}

/** Trace and span IDs come out of protobufjs as base64; OTLP/JSON and assertions use hex. */
function idsToHex(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(idsToHex);
  if (value && typeof value === 'object') {
    const result: Json = {};
    for (const [key, item] of Object.entries(value as Json)) {
      const isId = /(?:trace|span)Id$/i.test(key);
      result[key] = isId && typeof item === 'string' ? Buffer.from(item, 'base64').toString('hex') : idsToHex(item);
    }
    return result;
  }
  return value;
}

export function toAttributeValue(any: unknown): AttributeValue {
  const value = (any ?? {}) as Json;
  if (value.stringValue !== undefined) return String(value.stringValue);
  if (value.boolValue !== undefined) return Boolean(value.boolValue);
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) return (((value.arrayValue as Json).values as unknown[]) ?? []).map(toAttributeValue);
  if (value.kvlistValue !== undefined) return toAttributeMap((value.kvlistValue as Json).values);
  if (value.bytesValue !== undefined) return String(value.bytesValue);
  return null;
}

export function toAttributeMap(list: unknown): AttributeMap {
  const result: AttributeMap = {};
  for (const entry of (list as Json[] | undefined) ?? []) result[entry.key as string] = toAttributeValue(entry.value);
  return result;
}

const asScope = (scope: unknown): { name: string; version: string } => ({
  name: String((scope as Json | undefined)?.name ?? ''),
  version: String((scope as Json | undefined)?.version ?? ''),
});

export function flattenSpans(request: Json): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of (request.resourceSpans as Json[] | undefined) ?? []) {
    const resource = toAttributeMap((resourceSpans.resource as Json | undefined)?.attributes);
    for (const scopeSpans of (resourceSpans.scopeSpans as Json[] | undefined) ?? []) {
      for (const span of (scopeSpans.spans as Json[] | undefined) ?? []) {
        const status = (span.status as Json | undefined) ?? {};
        spans.push({
          traceId: String(span.traceId ?? ''),
          spanId: String(span.spanId ?? ''),
          parentSpanId: String(span.parentSpanId ?? ''),
          traceState: String(span.traceState ?? ''),
          flags: Number(span.flags ?? 0),
          name: String(span.name ?? ''),
          kind: Number(span.kind ?? 0),
          startTimeUnixNano: BigInt(String(span.startTimeUnixNano ?? 0)),
          endTimeUnixNano: BigInt(String(span.endTimeUnixNano ?? 0)),
          attributes: toAttributeMap(span.attributes),
          status: { code: Number(status.code ?? 0), message: String(status.message ?? '') },
          events: ((span.events as Json[] | undefined) ?? []).map((event) => ({
            name: String(event.name ?? ''),
            attributes: toAttributeMap(event.attributes),
          })),
          links: ((span.links as Json[] | undefined) ?? []).map((link) => ({
            traceId: String(link.traceId ?? ''),
            spanId: String(link.spanId ?? ''),
            attributes: toAttributeMap(link.attributes),
          })),
          resource,
          scope: asScope(scopeSpans.scope),
        });
      }
    }
  }
  return spans;
}

export function flattenLogRecords(request: Json): ReceivedLogRecord[] {
  const records: ReceivedLogRecord[] = [];
  for (const resourceLogs of (request.resourceLogs as Json[] | undefined) ?? []) {
    const resource = toAttributeMap((resourceLogs.resource as Json | undefined)?.attributes);
    for (const scopeLogs of (resourceLogs.scopeLogs as Json[] | undefined) ?? []) {
      for (const record of (scopeLogs.logRecords as Json[] | undefined) ?? []) {
        records.push({
          traceId: String(record.traceId ?? ''),
          spanId: String(record.spanId ?? ''),
          flags: Number(record.flags ?? 0),
          severityNumber: Number(record.severityNumber ?? 0),
          severityText: String(record.severityText ?? ''),
          body: toAttributeValue(record.body),
          attributes: toAttributeMap(record.attributes),
          timeUnixNano: BigInt(String(record.timeUnixNano ?? 0)),
          resource,
          scope: asScope(scopeLogs.scope),
        });
      }
    }
  }
  return records;
}

const METRIC_TYPES = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'];

export function flattenMetrics(request: Json): ReceivedMetric[] {
  const metrics: ReceivedMetric[] = [];
  for (const resourceMetrics of (request.resourceMetrics as Json[] | undefined) ?? []) {
    const resource = toAttributeMap((resourceMetrics.resource as Json | undefined)?.attributes);
    for (const scopeMetrics of (resourceMetrics.scopeMetrics as Json[] | undefined) ?? []) {
      for (const metric of (scopeMetrics.metrics as Json[] | undefined) ?? []) {
        const type = METRIC_TYPES.find((name) => metric[name] !== undefined && metric[name] !== null) ?? 'unknown';
        const data = (metric[type] as Json | undefined) ?? {};
        metrics.push({
          name: String(metric.name ?? ''),
          description: String(metric.description ?? ''),
          unit: String(metric.unit ?? ''),
          type,
          aggregationTemporality: Number(data.aggregationTemporality ?? 0),
          dataPoints: ((data.dataPoints as Json[] | undefined) ?? []).map((point) => ({
            ...point,
            attributes: toAttributeMap(point.attributes),
          })),
          resource,
          scope: asScope(scopeMetrics.scope),
        });
      }
    }
  }
  return metrics;
}
