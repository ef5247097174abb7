import type { Context, Span } from '@opentelemetry/api';
import { context, createContextKey } from '@opentelemetry/api';
import { PROTECTED_LOG_FIELDS } from './correlation';

export type RequestAttributeValue = string | number | boolean;

/** What Threadline keeps about the request being served, in its OpenTelemetry context. */
export interface RequestContext {
  readonly requestId: string;
  /** The service's entry span for this request (its server span). */
  readonly entrySpan: Span | undefined;
  readonly attributes: Record<string, RequestAttributeValue>;
  readonly featureFlags: Record<string, RequestAttributeValue>;
  /** Bumped whenever attributes or feature flags change, so cached log fields can be renewed. */
  version: number;
}

// createContextKey uses Symbol.for: a CommonJS and an ESM copy find the same entry.
export const REQUEST_CONTEXT_KEY = createContextKey('threadline.request-context');

export function createRequestContext(requestId: string, entrySpan: Span | undefined): RequestContext {
  return { requestId, entrySpan, attributes: {}, featureFlags: {}, version: 0 };
}

export function withRequestContext(parent: Context, request: RequestContext): Context {
  return parent.setValue(REQUEST_CONTEXT_KEY, request);
}

/** The request being served where this runs, if any. */
export function getRequestContext(active: Context = context.active()): RequestContext | undefined {
  return active.getValue(REQUEST_CONTEXT_KEY) as RequestContext | undefined;
}

/** The current request's ID, or undefined outside a request. */
export function getRequestId(): string | undefined {
  return getRequestContext()?.requestId;
}

/**
 * Adds attributes to the current request (`{ userId, accountType }`): they go onto its entry
 * span and onto every log line written while serving it, so a failing subset shows up in a
 * field query. Outside a request it does nothing. Correlation field names are refused.
 */
export function setRequestAttributes(attributes: Record<string, unknown>): void {
  const request = getRequestContext();
  if (!request) return;
  for (const [key, value] of Object.entries(attributes)) {
    if (PROTECTED_LOG_FIELDS.has(key) || !isAttributeValue(value)) continue;
    request.attributes[key] = value;
    request.entrySpan?.setAttribute(key, value);
  }
  request.version++;
}

/**
 * Records a feature flag evaluated while serving the current request: a
 * `feature_flag.evaluation` event on the entry span (semantic conventions for feature flags)
 * and `feature_flags.<key>` on every later log line of the request.
 */
export function recordFeatureFlag(key: string, value: RequestAttributeValue, variant?: string): void {
  const request = getRequestContext();
  if (!request || typeof key !== 'string' || !isAttributeValue(value)) return;
  request.featureFlags[key] = value;
  request.version++;
  const event: Record<string, RequestAttributeValue> = { 'feature_flag.key': key, 'feature_flag.result.value': value };
  if (variant !== undefined) event['feature_flag.result.variant'] = variant;
  request.entrySpan?.addEvent('feature_flag.evaluation', event);
  request.entrySpan?.setAttribute(`feature_flag.${key}`, value);
}

function isAttributeValue(value: unknown): value is RequestAttributeValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
