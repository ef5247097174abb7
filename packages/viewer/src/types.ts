/** Public types of the viewer: what it stores, what its JSON API answers, how it is started. */

import type { AttributeMap, AttributeValue } from '@threadline/testing';

export type { AttributeMap, AttributeValue };

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  service: string;
  version: string;
  startMillis: number;
  durationMillis: number;
  status: SpanStatus;
  statusMessage: string;
  attributes: AttributeMap;
  events: { name: string; attributes: AttributeMap }[];
}

export interface StoredLogRecord {
  timeMillis: number;
  service: string;
  version: string;
  /** A word (`error`), from the severity text or number. */
  level: string;
  body: string;
  traceId: string;
  spanId: string;
  requestId: string;
  attributes: AttributeMap;
}

export interface StoredExemplar {
  traceId: string;
  spanId: string;
  requestId: string;
  /** The measurement, in the metric's unit. */
  value: number;
  timeMillis: number;
}

/** One histogram data point as exported (cumulative or delta), with the series it belongs to. */
export interface StoredHistogramPoint {
  metric: string;
  unit: string;
  service: string;
  /** `service.instance.id`: a restarted service starts a new cumulative series. */
  instance: string;
  attributes: AttributeMap;
  cumulative: boolean;
  startMillis: number;
  timeMillis: number;
  count: number;
  sum: number;
  bucketCounts: number[];
  explicitBounds: number[];
  exemplars: StoredExemplar[];
}

export interface ViewerLimits {
  /** Traces kept; the oldest trace is dropped whole. */
  maxTraces: number;
  /** Spans kept per trace; later spans of a full trace are dropped. */
  maxSpansPerTrace: number;
  maxLogRecords: number;
  maxMetricPoints: number;
}

export interface StoreCounts {
  traces: number;
  spans: number;
  logRecords: number;
  metricPoints: number;
  dropped: { traces: number; spans: number; logRecords: number; metricPoints: number };
  limits: ViewerLimits;
}

export interface TraceSummary {
  traceId: string;
  /** The root span's service, or the earliest span's when the root has not arrived. */
  service: string;
  name: string;
  route: string;
  services: string[];
  spanCount: number;
  startMillis: number;
  durationMillis: number;
  status: 'ok' | 'error';
  statusCode: number | null;
  requestId: string;
  /** Request attributes (`accountType`), and `feature_flag.*`, set on the services' entry spans. */
  tags: Record<string, AttributeValue>;
  /** `service.version` of each service the trace passed through. */
  versions: Record<string, string>;
  /** The span where the failure starts (see `findFailureOrigin`), for failing traces. */
  failure: { service: string; spanId: string; name: string; message: string } | null;
}

export interface TraceQuery {
  service?: string;
  route?: string;
  status?: 'ok' | 'error';
  minDurationMillis?: number;
  maxDurationMillis?: number;
  traceId?: string;
  requestId?: string;
  /** `key:value` pairs every trace's tags must match (`accountType:enterprise`). */
  tags?: Record<string, string>;
  sinceMillis?: number;
  limit?: number;
}

export interface ViewerOptions {
  /** OTLP/HTTP port; 4318 by default, 0 picks a free one. */
  otlpPort?: number;
  /** Web page and JSON API port; 4319 by default, 0 picks a free one. */
  uiPort?: number;
  /** Interface both listen on; `127.0.0.1` by default. */
  host?: string;
  limits?: Partial<ViewerLimits>;
  /** An OTLP/HTTP base URL every accepted request is also sent to, unchanged. */
  forwardTo?: string;
}

export interface Viewer {
  /** Base URL for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  readonly otlpUrl: string;
  /** The web page; the JSON API is under `/api/`. */
  readonly uiUrl: string;
  stop(): Promise<void>;
}
