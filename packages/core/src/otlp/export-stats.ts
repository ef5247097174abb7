import { getGlobalState, setGlobalState } from '../global-state';

/** What an export queue carries, as the semantic conventions name it in `otel.sdk.*` metrics. */
export type ExportedItem = 'span' | 'log';

export type ComponentAttributes = Readonly<Record<string, string | number>>;

/**
 * The counts behind the `otel.sdk.exporter.*` and `otel.sdk.processor.*` metrics of one
 * export queue. Plain numbers updated on the export path; the metrics package reads them when
 * it collects, so the export path never touches the metrics SDK.
 */
export class ExportStats {
  /** Items whose export finished, by `error.type` (`''` for success). */
  readonly exported = new Map<string, number>();
  /** Items the processor finished with, by `error.type` (`''` when handed to the exporter). */
  readonly processed = new Map<string, number>();
  /** Items handed to the exporter whose export has not finished (retries included). */
  inflight = 0;
  /** Items waiting in the queue, not yet handed to the exporter. */
  queueSize = 0;
  readonly exporter: ComponentAttributes;
  readonly processor: ComponentAttributes;

  constructor(
    readonly item: ExportedItem,
    readonly queueCapacity: number,
    url: string,
  ) {
    const address = serverOf(url);
    this.exporter = { ...component(`otlp_http_${item}_exporter`), ...address };
    this.processor = component(`batching_${item}_processor`);
  }

  addExported(count: number, errorType = ''): void {
    this.exported.set(errorType, (this.exported.get(errorType) ?? 0) + count);
  }

  addProcessed(count: number, errorType = ''): void {
    this.processed.set(errorType, (this.processed.get(errorType) ?? 0) + count);
  }
}

/** `otel.component.name` is `<type>/<index>`, the index counting instances of that type in the process. */
function component(type: string): ComponentAttributes {
  const counts = getGlobalState<Map<string, number>>('component-counts') ?? new Map<string, number>();
  setGlobalState('component-counts', counts);
  const index = counts.get(type) ?? 0;
  counts.set(type, index + 1);
  return { 'otel.component.type': type, 'otel.component.name': `${type}/${index}` };
}

function serverOf(url: string): ComponentAttributes {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
    return { 'server.address': parsed.hostname.replace(/^\[|\]$/g, ''), 'server.port': port };
  } catch {
    return {};
  }
}

/** Every export queue's stats in this process (shared by CommonJS and ESM copies). */
export function exportStatsRegistry(): ExportStats[] {
  let registry = getGlobalState<ExportStats[]>('export-stats');
  if (!registry) {
    registry = [];
    setGlobalState('export-stats', registry);
  }
  return registry;
}

export function registerExportStats(stats: ExportStats): ExportStats {
  exportStatsRegistry().push(stats);
  return stats;
}
