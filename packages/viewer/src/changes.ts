import type { TelemetryStore } from './store';

export interface SeenRange {
  firstMillis: number;
  lastMillis: number;
  spans: number;
}

export interface ServiceChanges {
  service: string;
  /** `service.version` values, by the time their first span started. */
  versions: ({ version: string } & SeenRange)[];
  /** Each feature flag value seen on the service's spans (`feature_flag.<key>` attributes). */
  flags: ({ flag: string; value: string } & SeenRange)[];
}

function widen(ranges: Map<string, SeenRange>, key: string, millis: number): void {
  const range = ranges.get(key);
  if (!range) ranges.set(key, { firstMillis: millis, lastMillis: millis, spans: 1 });
  else {
    range.firstMillis = Math.min(range.firstMillis, millis);
    range.lastMillis = Math.max(range.lastMillis, millis);
    range.spans++;
  }
}

/** The "what changed" strip: versions and flag values seen over time, per service. */
export function computeChanges(store: TelemetryStore): ServiceChanges[] {
  const versions = new Map<string, Map<string, SeenRange>>();
  const flags = new Map<string, Map<string, SeenRange>>();
  const forService = (maps: Map<string, Map<string, SeenRange>>, service: string): Map<string, SeenRange> => {
    let ranges = maps.get(service);
    if (!ranges) maps.set(service, (ranges = new Map()));
    return ranges;
  };
  for (const traceId of store.traceIds()) {
    for (const span of store.spans(traceId)) {
      widen(forService(versions, span.service), span.version, span.startMillis);
      for (const [key, value] of Object.entries(span.attributes)) {
        if (key.startsWith('feature_flag.')) widen(forService(flags, span.service), `${key.slice('feature_flag.'.length)}\u0000${String(value)}`, span.startMillis);
      }
    }
  }
  const byFirstSeen = (a: SeenRange, b: SeenRange): number => a.firstMillis - b.firstMillis;
  return [...versions.keys()].sort().map((service) => ({
    service,
    versions: [...(versions.get(service) ?? new Map<string, SeenRange>())]
      .map(([version, range]) => ({ version, ...range }))
      .sort(byFirstSeen),
    flags: [...(flags.get(service) ?? new Map<string, SeenRange>())]
      .map(([key, range]) => {
        const [flag = '', value = ''] = key.split('\u0000');
        return { flag, value, ...range };
      })
      .sort(byFirstSeen),
  }));
}
