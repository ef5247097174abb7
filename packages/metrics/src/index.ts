export type { Metrics } from './types';
export { createMetrics } from './create-metrics';
export { metrics } from './helpers';
export { DurationHistogram } from './duration-histograms';
export type { StoredExemplar } from './duration-histograms';
export { encodeJson, encodeProtobuf } from './otlp-encoding';
export { toOtlpModel } from './otlp-model';
export { OtlpMetricExporter } from './otlp-metric-exporter';
export { DB_CLIENT_DURATION, DURATION_BUCKETS, HTTP_CLIENT_DURATION, HTTP_SERVER_DURATION } from './semantic-conventions';
