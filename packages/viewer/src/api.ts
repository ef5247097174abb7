import type { ServerResponse } from 'node:http';
import { computeChanges } from './changes';
import type { Forwarder } from './forwarder';
import { DEFAULT_LOG_LIMIT, queryLogs } from './log-query';
import { computeMetricSeries } from './metric-series';
import type { IntakeCounts } from './otlp-intake';
import type { TelemetryStore } from './store';
import { queryTraces } from './trace-query';
import type { TraceQuery } from './types';

const number = (value: string | null): number | undefined => {
  if (value === null || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
};

export function traceQueryFrom(params: URLSearchParams): TraceQuery {
  const status = params.get('status');
  const tags: Record<string, string> = {};
  for (const tag of params.getAll('tag')) {
    const colon = tag.indexOf(':');
    if (colon > 0) tags[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return {
    service: params.get('service') || undefined,
    route: params.get('route') || undefined,
    status: status === 'error' || status === 'ok' ? status : undefined,
    minDurationMillis: number(params.get('minDuration')),
    maxDurationMillis: number(params.get('maxDuration')),
    traceId: params.get('traceId') || undefined,
    requestId: params.get('requestId') || undefined,
    tags,
    sinceMillis: number(params.get('since')),
    limit: number(params.get('limit')),
  };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

export interface ApiContext {
  store: TelemetryStore;
  intake: IntakeCounts;
  forwarder: Forwarder | undefined;
}

/** The JSON API under `/api/`, shared by the web page and scripts (docs/viewer.md lists it). */
export function handleApi(context: ApiContext, url: URL, response: ServerResponse): void {
  const { store } = context;
  const params = url.searchParams;
  const path = url.pathname;
  if (path === '/api/stats') {
    return sendJson(response, 200, { ...store.counts(), intake: context.intake, forwarding: context.forwarder?.counts ?? null });
  }
  if (path === '/api/traces') return sendJson(response, 200, queryTraces(store, traceQueryFrom(params)));
  const traceMatch = /^\/api\/traces\/([0-9a-f]{32})$/.exec(path);
  if (traceMatch) {
    const traceId = traceMatch[1]!;
    const summary = store.summary(traceId);
    if (!summary) return sendJson(response, 404, { error: `no trace ${traceId}` });
    const spans = [...store.spans(traceId)].sort((a, b) => a.startMillis - b.startMillis);
    const logs = store.logs.all().filter((record) => record.traceId === traceId).sort((a, b) => a.timeMillis - b.timeMillis);
    return sendJson(response, 200, { summary, spans, logs });
  }
  if (path === '/api/logs') {
    return sendJson(response, 200, queryLogs(store.logs.all(), params.get('q') ?? '', number(params.get('limit')) ?? DEFAULT_LOG_LIMIT));
  }
  if (path === '/api/metrics') {
    return sendJson(response, 200, computeMetricSeries(store.points.all(), {
      metric: params.get('metric') || undefined,
      service: params.get('service') || undefined,
      route: params.get('route') || undefined,
      sinceMillis: number(params.get('since')),
      untilMillis: number(params.get('until')),
      windowMillis: number(params.get('window')),
    }));
  }
  if (path === '/api/changes') return sendJson(response, 200, { services: computeChanges(store) });
  sendJson(response, 404, { error: `no API at ${path}` });
}
