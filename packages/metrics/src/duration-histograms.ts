import type { HrTime, SpanContext } from '@opentelemetry/api';
import type { CollectionResult, DataPoint, Histogram, MetricData, MetricProducer } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import type { FieldRedactor } from '@threadline/core';
import { NO_FIELD_REDACTION, REQUEST_ID_ATTRIBUTE, maskSecretAttributes, millisToHrTime } from '@threadline/core';

export interface StoredExemplar {
  value: number;
  timeUnixNano: bigint;
  traceId: string;
  spanId: string;
  /** Attributes of the measurement not on the series: here the request ID. */
  filteredAttributes: Record<string, string>;
}

/** A histogram data point as the SDK shapes it, with the exemplars its 2.x data model lacks. */
export interface HistogramPointWithExemplars extends DataPoint<Histogram> {
  exemplars?: StoredExemplar[];
}

interface KeptExemplar {
  value: number;
  timeMillis: number;
  traceId: string;
  spanId: string;
  requestId: string | undefined;
}

interface Series {
  attributes: Record<string, unknown>;
  startTime: HrTime;
  count: number;
  /** What the measurements counted (a batch send is one measurement of several messages). */
  items: number;
  sum: number;
  min: number;
  max: number;
  counts: number[];
  /** The last sampled measurement per bucket (the aligned-histogram reservoir); none on overflow. */
  exemplars: (KeptExemplar | undefined)[] | undefined;
}

type SeriesNode = Map<unknown, unknown>;
const SERIES = Symbol('series');
const OVERFLOW_ATTRIBUTES = Object.freeze({ 'otel.metric.overflow': true });

// sdk-metrics enums, by value: the SDK itself is loaded lazily.
const INSTRUMENT_HISTOGRAM = 'HISTOGRAM';
const VALUE_TYPE_DOUBLE = 1;
const CUMULATIVE = 1;
const DATA_POINT_HISTOGRAM = 0;
const DATA_POINT_SUM = 3;
const INSTRUMENT_COUNTER = 'COUNTER';
const VALUE_TYPE_INT = 0;

/**
 * One cumulative explicit-bucket histogram that Threadline records into directly, with
 * exemplars. Series are found by walking nested maps (each attribute's name, then value, in the
 * order the caller builds them: one order per call site) instead of hashing a sorted copy of
 * the attributes, which cost microseconds a measurement in the SDK. At the series limit, new
 * attribute sets go to one overflow series (`otel.metric.overflow=true`), as in the SDK.
 * Attributes whose names look like secrets are masked before the series is found, so that
 * their values neither leave nor make series of their own.
 */
export class DurationHistogram {
  private readonly root: SeriesNode = new Map();
  private readonly series: Series[] = [];
  private overflow: Series | undefined;

  constructor(
    readonly name: string,
    readonly description: string,
    private readonly boundaries: readonly number[],
    private readonly seriesLimit: number,
    private readonly redactor: FieldRedactor = NO_FIELD_REDACTION,
  ) {}

  record(seconds: number, attributes: Record<string, unknown>, spanContext?: SpanContext, requestId?: string, items = 1): void {
    if (!(seconds >= 0) || seconds === Infinity) return;
    const series = this.find(maskSecretAttributes(attributes, this.redactor));
    series.count++;
    series.items += items;
    series.sum += seconds;
    if (seconds < series.min) series.min = seconds;
    if (seconds > series.max) series.max = seconds;
    let index = 0;
    while (index < this.boundaries.length && seconds > this.boundaries[index]!) index++;
    series.counts[index]!++;
    if (spanContext && series.exemplars) {
      series.exemplars[index] = { value: seconds, timeMillis: Date.now(), traceId: spanContext.traceId, spanId: spanContext.spanId, requestId };
    }
  }

  /** The data as the SDK's collection would carry it; undefined before the first measurement. */
  collect(endTime: HrTime): MetricData | undefined {
    const all = this.overflow ? [...this.series, this.overflow] : this.series;
    if (all.length === 0) return undefined;
    return {
      descriptor: { name: this.name, description: this.description, unit: 's', valueType: VALUE_TYPE_DOUBLE, type: INSTRUMENT_HISTOGRAM, advice: {} },
      aggregationTemporality: CUMULATIVE,
      dataPointType: DATA_POINT_HISTOGRAM,
      dataPoints: all.map((series): HistogramPointWithExemplars => ({
        attributes: series.attributes as DataPoint<Histogram>['attributes'],
        startTime: series.startTime,
        endTime,
        value: {
          buckets: { boundaries: [...this.boundaries], counts: [...series.counts] },
          count: series.count,
          sum: series.sum,
          min: series.min,
          max: series.max,
        },
        exemplars: (series.exemplars ?? []).filter((kept): kept is KeptExemplar => kept !== undefined).map(toStoredExemplar),
      })),
    } as unknown as MetricData;
  }

  /**
   * What the measurements of each series counted, as a monotonic sum (`messaging.client.sent.messages`
   * counts the messages of the sends `messaging.client.operation.duration` timed, a batch send
   * once per message): kept beside the histogram, no second aggregation.
   */
  collectCount(endTime: HrTime, name: string, description: string, unit: string): MetricData | undefined {
    const all = this.overflow ? [...this.series, this.overflow] : this.series;
    if (all.length === 0) return undefined;
    return {
      descriptor: { name, description, unit, valueType: VALUE_TYPE_INT, type: INSTRUMENT_COUNTER, advice: {} },
      aggregationTemporality: CUMULATIVE,
      dataPointType: DATA_POINT_SUM,
      isMonotonic: true,
      // A series of operations that counted nothing (pulls, in the send instrument) is not a count.
      dataPoints: all.filter((series) => series.items > 0).map((series) => ({ attributes: series.attributes, startTime: series.startTime, endTime, value: series.items })),
    } as unknown as MetricData;
  }

  private find(attributes: Record<string, unknown>): Series {
    const existing = this.walk(attributes, false)?.get(SERIES) as Series | undefined;
    if (existing) return existing;
    if (this.series.length >= this.seriesLimit - 1) return (this.overflow ??= this.newSeries(OVERFLOW_ATTRIBUTES, false));
    const series = this.newSeries({ ...attributes }, true);
    this.walk(attributes, true)!.set(SERIES, series);
    this.series.push(series);
    return series;
  }

  private walk(attributes: Record<string, unknown>, create: boolean): SeriesNode | undefined {
    let node = this.root;
    for (const name in attributes) {
      node = step(step(node, name, create), attributes[name], create)!;
      if (!node) return undefined;
    }
    return node;
  }

  private newSeries(attributes: Record<string, unknown>, keepsExemplars: boolean): Series {
    const buckets = this.boundaries.length + 1;
    return {
      attributes,
      startTime: millisToHrTime(Date.now()),
      count: 0,
      items: 0,
      sum: 0,
      min: Infinity,
      max: -Infinity,
      counts: new Array<number>(buckets).fill(0),
      exemplars: keepsExemplars ? new Array<KeptExemplar | undefined>(buckets).fill(undefined) : undefined,
    };
  }
}

function step(node: SeriesNode | undefined, key: unknown, create: boolean): SeriesNode | undefined {
  if (!node) return undefined;
  let next = node.get(key) as SeriesNode | undefined;
  if (!next && create) {
    next = new Map();
    node.set(key, next);
  }
  return next;
}

function toStoredExemplar(kept: KeptExemplar): StoredExemplar {
  const filteredAttributes: Record<string, string> = {};
  if (kept.requestId) filteredAttributes[REQUEST_ID_ATTRIBUTE] = kept.requestId;
  return { value: kept.value, timeUnixNano: BigInt(kept.timeMillis) * 1_000_000n, traceId: kept.traceId, spanId: kept.spanId, filteredAttributes };
}

/** Hands Threadline's histograms to every metric reader, beside what the SDK collected. */
export interface CollectedMetric {
  collect(endTime: HrTime): MetricData | undefined;
}

export class DurationHistogramProducer implements MetricProducer {
  constructor(
    private readonly histograms: readonly CollectedMetric[],
    private readonly scope: { name: string; version: string },
    private readonly resource: Resource,
  ) {}

  collect(): Promise<CollectionResult> {
    const endTime = millisToHrTime(Date.now());
    const metrics = this.histograms.map((histogram) => histogram.collect(endTime)).filter((metric): metric is MetricData => metric !== undefined);
    return Promise.resolve({
      resourceMetrics: { resource: this.resource, scopeMetrics: metrics.length > 0 ? [{ scope: this.scope, metrics }] : [] },
      errors: [],
    });
  }
}
