import type { SpanContext } from '@opentelemetry/api';
import { REQUEST_ID_ATTRIBUTE } from '@threadline/core';

export interface StoredExemplar {
  value: number;
  timeUnixNano: bigint;
  traceId: string;
  spanId: string;
  /** Attributes of the measurement not on the series: here the request ID. */
  filteredAttributes: Record<string, string>;
}

/**
 * Exemplars for histograms, kept beside the SDK (its 2.x data model has none): per series, the
 * last sampled measurement in each bucket, as the specification's aligned-histogram reservoir
 * does. Bounded like the series themselves; measurements of a series past the limit keep none.
 */
export class ExemplarStore {
  private readonly series = new Map<string, Map<number, StoredExemplar>>();

  constructor(private readonly seriesLimit: number) {}

  offer(metric: string, attributes: Record<string, unknown>, boundaries: readonly number[], value: number, spanContext: SpanContext, requestId: string | undefined): void {
    const key = seriesKey(metric, attributes);
    let buckets = this.series.get(key);
    if (!buckets) {
      if (this.series.size >= this.seriesLimit) return;
      buckets = new Map();
      this.series.set(key, buckets);
    }
    const filteredAttributes: Record<string, string> = requestId ? { [REQUEST_ID_ATTRIBUTE]: requestId } : {};
    buckets.set(bucketIndex(boundaries, value), {
      value,
      timeUnixNano: BigInt(Date.now()) * 1_000_000n,
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      filteredAttributes,
    });
  }

  exemplarsFor(metric: string, attributes: Record<string, unknown>): StoredExemplar[] {
    const buckets = this.series.get(seriesKey(metric, attributes));
    return buckets ? [...buckets.values()] : [];
  }
}

function seriesKey(metric: string, attributes: Record<string, unknown>): string {
  const keys = Object.keys(attributes).sort();
  let key = metric;
  for (const name of keys) key += `\u0000${name}=${String(attributes[name])}`;
  return key;
}

/** The explicit-bucket index a value falls in: bucket i holds (bounds[i-1], bounds[i]]. */
function bucketIndex(boundaries: readonly number[], value: number): number {
  let index = 0;
  while (index < boundaries.length && value > boundaries[index]!) index++;
  return index;
}
