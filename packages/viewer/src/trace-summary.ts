import type { AttributeValue, StoredSpan, TraceSummary } from './types';

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const SPAN_KIND_CONSUMER = 5;

/** The root span: no parent, or a parent that never arrived; the earliest if several. */
export function findRootSpan(spans: readonly StoredSpan[]): StoredSpan | undefined {
  const ids = new Set(spans.map((span) => span.spanId));
  const roots = spans.filter((span) => !span.parentSpanId || !ids.has(span.parentSpanId));
  return roots.sort((a, b) => a.startMillis - b.startMillis)[0];
}

function depthOf(span: StoredSpan, byId: Map<string, StoredSpan>): number {
  let depth = 0;
  for (let parent = byId.get(span.parentSpanId); parent && depth < 1000; parent = byId.get(parent.parentSpanId)) depth++;
  return depth;
}

/**
 * Where a failing trace's failure starts: the deepest span with error status. When that is a
 * client span whose callee's server span is in the trace, the callee is blamed: a timeout or
 * refused call fails in the caller, but the cause is on the other side.
 */
export function findFailureOrigin(spans: readonly StoredSpan[]): StoredSpan | undefined {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  let origin: StoredSpan | undefined;
  let originDepth = -1;
  for (const span of spans) {
    if (span.status !== 'error') continue;
    const depth = depthOf(span, byId);
    if (depth > originDepth || (depth === originDepth && origin && span.startMillis < origin.startMillis)) {
      origin = span;
      originDepth = depth;
    }
  }
  if (origin?.kind === SPAN_KIND_CLIENT) {
    const callee = spans.find((span) => span.parentSpanId === origin?.spanId && span.kind === SPAN_KIND_SERVER);
    if (callee) return callee;
  }
  return origin;
}

export function failureMessage(span: StoredSpan): string {
  if (span.statusMessage) return span.statusMessage;
  const exception = span.events.find((event) => event.name === 'exception');
  const message = exception?.attributes['exception.message'];
  if (typeof message === 'string') return message;
  const errorType = span.attributes['error.type'];
  return errorType === undefined ? '' : String(errorType);
}

/** Request attributes and feature flags: undotted keys and `feature_flag.*` on entry spans. */
function entryTags(spans: readonly StoredSpan[]): Record<string, AttributeValue> {
  const tags: Record<string, AttributeValue> = {};
  for (const span of spans) {
    if (span.kind !== SPAN_KIND_SERVER && span.kind !== SPAN_KIND_CONSUMER) continue;
    for (const [key, value] of Object.entries(span.attributes)) {
      if (!key.includes('.') || key.startsWith('feature_flag.')) tags[key] = value;
    }
  }
  return tags;
}

export function summarizeTrace(spans: readonly StoredSpan[]): TraceSummary {
  const root = findRootSpan(spans) ?? spans[0]!;
  const start = Math.min(...spans.map((span) => span.startMillis));
  const end = Math.max(...spans.map((span) => span.startMillis + span.durationMillis));
  const versions: Record<string, string> = {};
  for (const span of spans) if (span.version) versions[span.service] = span.version;
  const requestId = spans.map((span) => span.attributes['request.id']).find((value) => typeof value === 'string');
  const origin = findFailureOrigin(spans);
  const statusCode = root.attributes['http.response.status_code'];
  return {
    traceId: root.traceId,
    service: root.service,
    name: root.name,
    route: String(root.attributes['http.route'] ?? root.name),
    services: [...new Set([...spans].sort((a, b) => a.startMillis - b.startMillis).map((span) => span.service))],
    spanCount: spans.length,
    startMillis: start,
    durationMillis: end - start,
    status: origin ? 'error' : 'ok',
    statusCode: typeof statusCode === 'number' ? statusCode : null,
    requestId: requestId ?? '',
    tags: entryTags(spans),
    versions,
    failure: origin ? { service: origin.service, spanId: origin.spanId, name: origin.name, message: failureMessage(origin) } : null,
  };
}
