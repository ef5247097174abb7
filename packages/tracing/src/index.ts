export type { Tracing } from './types';
export { createTracing } from './create-tracing';
export { createSampler } from './sampler';
export { createPropagator } from './propagator';
export { OtlpSpanExporter } from './otlp-span-exporter';
