import type { StoredExemplar } from './duration-histograms';
import type { AttributeMap, HistogramPoint, NumberPoint, OtlpMetric, OtlpResourceMetrics } from './otlp-model';

export type PrometheusFormat = 'openmetrics' | 'classic';

export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
export const CLASSIC_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** OpenMetrics: an exemplar's label set is at most 128 UTF-8 characters, names and values together. */
const MAX_EXEMPLAR_LABEL_CHARS = 128;

/** UCUM units to the Prometheus suffixes the OpenTelemetry compatibility rules give them. */
const UNIT_SUFFIXES: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};

/** The Prometheus form of an OpenTelemetry unit: `s` -> `seconds`, `By/s` -> `bytes_per_second`, `{request}` -> none. */
export function unitSuffix(unit: string, kind: OtlpMetric['kind']): string {
  const bare = unit.replace(/\{[^}]*\}/g, '').trim();
  if (bare === '1') return kind === 'gauge' ? 'ratio' : '';
  if (bare === '') return '';
  const [numerator = '', denominator] = bare.split('/');
  const name = (part: string): string => UNIT_SUFFIXES[part] ?? sanitizeName(part);
  const singular = (part: string): string => (UNIT_SUFFIXES[part] ?? sanitizeName(part)).replace(/s$/, '');
  if (denominator === undefined) return name(numerator);
  return numerator === '' ? `per_${singular(denominator)}` : `${name(numerator)}_per_${singular(denominator)}`;
}

function sanitizeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
}

/** A metric's Prometheus family name (without `_total`): dots to underscores, then the unit suffix once. */
export function prometheusName(metric: Pick<OtlpMetric, 'name' | 'unit' | 'kind'>): string {
  let name = sanitizeName(metric.name);
  if (/^[0-9]/.test(name)) name = `_${name}`;
  const suffix = unitSuffix(metric.unit, metric.kind);
  if (suffix && !name.endsWith(`_${suffix}`)) name = `${name}_${suffix}`;
  return name.replace(/_total$/, '');
}

/** A label name: invalid characters to `_`, a leading digit prefixed with `key_` (the compatibility rules). */
export function labelName(key: string): string {
  const name = key.replace(/[^a-zA-Z0-9_]/g, '_').replace(/_+/g, '_');
  return /^[0-9]/.test(name) ? `key_${name}` : name;
}

function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelValue(value: unknown): string {
  return typeof value === 'string' ? value : Array.isArray(value) || (value && typeof value === 'object') ? JSON.stringify(value) : String(value);
}

function labels(attributes: AttributeMap, extra: [string, string][] = []): string {
  const merged = new Map<string, string>();
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null) continue;
    const name = labelName(key);
    // Two keys that sanitize to one label name are joined with `;`, as the rules say.
    const previous = merged.get(name);
    merged.set(name, previous === undefined ? labelValue(value) : `${previous};${labelValue(value)}`);
  }
  for (const [name, value] of extra) merged.set(name, value);
  if (merged.size === 0) return '';
  return `{${[...merged].map(([name, value]) => `${name}="${escapeValue(value)}"`).join(',')}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** ` # {trace_id="..",span_id="..",request_id=".."} value timestamp`, within the label-set limit. */
function exemplarSuffix(exemplar: StoredExemplar): string {
  const pairs: [string, string][] = [
    ['trace_id', exemplar.traceId],
    ['span_id', exemplar.spanId],
  ];
  let used = pairs.reduce((total, [name, value]) => total + name.length + [...value].length, 0);
  for (const [key, value] of Object.entries(exemplar.filteredAttributes)) {
    const name = labelName(key);
    const size = name.length + [...value].length;
    if (used + size > MAX_EXEMPLAR_LABEL_CHARS) continue;
    used += size;
    pairs.push([name, value]);
  }
  const seconds = Number(exemplar.timeUnixNano / 1_000_000n) / 1000;
  return ` # {${pairs.map(([name, value]) => `${name}="${escapeValue(value)}"`).join(',')}} ${number(exemplar.value)} ${seconds.toFixed(3)}`;
}

/**
 * Prometheus exposition of one collection, following the OpenTelemetry-to-Prometheus
 * compatibility rules: names with unit suffixes, `_total` on monotonic sums, non-monotonic sums
 * as gauges, histograms as `_bucket{le}`/`_sum`/`_count`, the scope as `otel_scope_*` labels,
 * the resource as one `target_info` series. OpenMetrics adds the exemplars (on the bucket their
 * value falls in) and `# EOF`; the classic text format has no place for them.
 */
export function toPrometheusText(collected: OtlpResourceMetrics, format: PrometheusFormat): string {
  const openMetrics = format === 'openmetrics';
  const lines: string[] = [];
  const help = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  lines.push('# HELP target_info Target metadata', '# TYPE target_info gauge', `target_info${labels(collected.resource)} 1`);

  const families = new Map<string, { metric: OtlpMetric; type: string; samples: string[] }>();
  for (const scope of collected.scopes) {
    const scopeLabels: [string, string][] = [['otel_scope_name', scope.name], ['otel_scope_version', scope.version]];
    for (const metric of scope.metrics) {
      if (metric.points.length === 0) continue;
      const name = prometheusName(metric);
      const isCounter = metric.kind === 'sum' && metric.isMonotonic;
      const type = metric.kind === 'histogram' ? 'histogram' : isCounter ? 'counter' : 'gauge';
      const family = families.get(name) ?? { metric, type, samples: [] };
      // A name already taken by another type would make the scrape fail; the first one wins.
      if (family.type !== type) continue;
      families.set(name, family);
      if (metric.kind === 'histogram') {
        for (const point of metric.points) family.samples.push(...histogramSamples(name, point, scopeLabels, openMetrics));
      } else {
        const sampleName = isCounter ? `${name}_total` : name;
        for (const point of metric.points as NumberPoint[]) family.samples.push(`${sampleName}${labels(point.attributes, scopeLabels)} ${number(point.value)}`);
      }
    }
  }
  for (const [name, { metric, type, samples }] of families) {
    // Classic text names a counter's family with its `_total`; OpenMetrics without it.
    const familyName = type === 'counter' && !openMetrics ? `${name}_total` : name;
    if (metric.description) lines.push(`# HELP ${familyName} ${help(metric.description)}`);
    lines.push(`# TYPE ${familyName} ${type}`);
    const suffix = unitSuffix(metric.unit, metric.kind);
    if (openMetrics && suffix && name.endsWith(`_${suffix}`)) lines.push(`# UNIT ${familyName} ${suffix}`);
    lines.push(...samples);
  }
  if (openMetrics) lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

function histogramSamples(name: string, point: HistogramPoint, scopeLabels: [string, string][], openMetrics: boolean): string[] {
  const samples: string[] = [];
  const exemplarFor = new Map<number, StoredExemplar>();
  if (openMetrics) {
    for (const exemplar of point.exemplars) {
      let bucket = point.explicitBounds.findIndex((bound) => exemplar.value <= bound);
      if (bucket === -1) bucket = point.explicitBounds.length;
      const kept = exemplarFor.get(bucket);
      if (!kept || kept.timeUnixNano < exemplar.timeUnixNano) exemplarFor.set(bucket, exemplar);
    }
  }
  let cumulative = 0;
  const bounds = [...point.explicitBounds, Infinity];
  bounds.forEach((bound, index) => {
    cumulative += point.bucketCounts[index] ?? 0;
    const exemplar = exemplarFor.get(index);
    samples.push(`${name}_bucket${labels(point.attributes, [...scopeLabels, ['le', number(bound)]])} ${cumulative}${exemplar ? exemplarSuffix(exemplar) : ''}`);
  });
  samples.push(`${name}_sum${labels(point.attributes, scopeLabels)} ${number(point.sum ?? 0)}`);
  samples.push(`${name}_count${labels(point.attributes, scopeLabels)} ${point.count}`);
  return samples;
}
