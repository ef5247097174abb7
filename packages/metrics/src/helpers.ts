import type { Attributes, Counter, Histogram, Meter, MetricOptions, ObservableGauge, UpDownCounter } from '@opentelemetry/api';
import { metrics as metricsApi } from '@opentelemetry/api';
import { errorTypeOf } from '@threadline/core';

const APP_METER = '@threadline/app';
let meter: Meter | undefined;
const appMeter = (): Meter => (meter ??= metricsApi.getMeter(APP_METER));

/**
 * Instruments on the service's meter, and the ready-made ones an incident checklist asks for.
 * Create them after Threadline started (they come from the global meter provider).
 */
export const metrics = {
  counter: (name: string, options?: MetricOptions): Counter => appMeter().createCounter(name, options),
  histogram: (name: string, options?: MetricOptions): Histogram => appMeter().createHistogram(name, options),
  upDownCounter: (name: string, options?: MetricOptions): UpDownCounter => appMeter().createUpDownCounter(name, options),
  /** A gauge read from `read()` at each collection. */
  gauge: (name: string, read: () => number | undefined, options?: MetricOptions): ObservableGauge => {
    const gauge = appMeter().createObservableGauge(name, options);
    gauge.addCallback((result) => {
      const value = read();
      if (typeof value === 'number' && Number.isFinite(value)) result.observe(value);
    });
    return gauge;
  },
  /** Queue depth from a callback: `metrics.queueDepth('jobs', () => queue.length)`. */
  queueDepth: (queue: string, read: () => number): ObservableGauge =>
    metrics.gauge(`${queue}.queue.depth`, read, { unit: '{item}', description: `Items waiting in the ${queue} queue.` }),
  /**
   * Cache hits and misses: a `<cache>.cache.requests` counter with `cache.result=hit|miss`, and
   * a `<cache>.cache.hit_ratio` gauge over everything counted so far.
   */
  cache: (cache: string) => {
    const requests = appMeter().createCounter(`${cache}.cache.requests`, { unit: '{request}', description: `Lookups in the ${cache} cache.` });
    let hits = 0;
    let total = 0;
    metrics.gauge(`${cache}.cache.hit_ratio`, () => (total === 0 ? undefined : hits / total), { unit: '1', description: `Share of ${cache} cache lookups that hit.` });
    return {
      hit(attributes?: Attributes) {
        hits++;
        total++;
        requests.add(1, { ...attributes, 'cache.result': 'hit' });
      },
      miss(attributes?: Attributes) {
        total++;
        requests.add(1, { ...attributes, 'cache.result': 'miss' });
      },
    };
  },
  /** Errors by type: `errors.record(err)` counts one with `error.type` = the error's name or code. */
  errors: (name: string) => {
    const counter = appMeter().createCounter(name, { unit: '{error}', description: 'Errors by type.' });
    return {
      record(error: unknown, attributes?: Attributes) {
        counter.add(1, { ...attributes, 'error.type': errorTypeOf(error) });
      },
    };
  },
};
