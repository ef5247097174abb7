// ESM entry: re-exports the CommonJS build, so both module systems share one instance.
export {
  OtlpSpanExporter,
  createPropagator,
  createSampler,
  createTracing,
} from '../dist/index.js';
