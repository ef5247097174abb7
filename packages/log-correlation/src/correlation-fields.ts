import type { Context } from '@opentelemetry/api';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { LogFields } from './types';
import { LOG_FIELDS, PROTECTED_LOG_FIELDS, getRequestContext, isDbError, rememberDbErrorMessage, sanitizeStack } from '@threadline/core';

/**
 * The fields that join a log line to its trace and request, from the active context: the
 * span's IDs and flags, the request ID, the request's attributes and feature flags. Outside a
 * request and a span there are none, so nothing stale from an earlier request can appear.
 */
export function correlationFields(active = context.active()): LogFields {
  const fields: LogFields = {};
  const spanContext = trace.getSpanContext(active);
  if (spanContext && isSpanContextValid(spanContext)) {
    fields[LOG_FIELDS.traceId] = spanContext.traceId;
    fields[LOG_FIELDS.spanId] = spanContext.spanId;
    fields[LOG_FIELDS.traceFlags] = spanContext.traceFlags < 16 ? `0${spanContext.traceFlags.toString(16)}` : spanContext.traceFlags.toString(16);
  }
  const request = getRequestContext(active);
  if (request) {
    Object.assign(fields, request.attributes);
    fields[LOG_FIELDS.requestId] = request.requestId;
    if (Object.keys(request.featureFlags).length > 0) fields[LOG_FIELDS.featureFlags] = { ...request.featureFlags };
  }
  return fields;
}

/**
 * Memoizes `compute(active)` while the active context, and its request's attributes, stay the
 * same: consecutive log lines of one request share one result.
 */
export function perActiveContext<T>(compute: (active: Context) => T): () => T {
  let lastActive: Context | undefined;
  let lastRequest: { version: number } | undefined;
  let lastVersion = 0;
  let last: T | undefined;
  return () => {
    const active = context.active();
    if (active === lastActive && (lastRequest === undefined || lastRequest.version === lastVersion)) return last as T;
    const request = getRequestContext(active);
    last = compute(active);
    lastActive = active;
    lastRequest = request;
    lastVersion = request?.version ?? 0;
    return last;
  };
}

/** The correlation fields of one context, and the same as JSON object members, made on first use. */
export class ActiveCorrelation {
  private json: string | undefined;

  constructor(readonly fields: Readonly<LogFields>) {}

  /** `,"trace_id":"…","span_id":"…",…`, ready to append to a JSON line; empty when there are none. */
  get members(): string {
    if (this.json === undefined) {
      const object = JSON.stringify(this.fields);
      this.json = object.length > 2 ? `,${object.slice(1, -1)}` : '';
    }
    return this.json;
  }

  /** Whether `fields` has a name of its own that is also a correlation field's. */
  overlaps(fields: object): boolean {
    for (const key in fields) if (Object.prototype.hasOwnProperty.call(this.fields, key)) return true;
    return false;
  }
}

/** The active context's correlation, memoized per context (not to be mutated). */
export const activeCorrelation: () => ActiveCorrelation = perActiveContext((active) => new ActiveCorrelation(correlationFields(active)));

/** `correlationFields()` of the active context, memoized per context (not to be mutated). */
export const activeCorrelationFields = (): Readonly<LogFields> => activeCorrelation().fields;

/**
 * A caller's fields, safe to merge: correlation names are dropped (a logged object can never
 * spoof a trace or request ID), and Error values become `error.type`, `error.message`,
 * `error.stack` and `error.code` (a database error's with the data it quotes sanitized).
 * Reading a field may throw (a getter): the caller guards.
 */
export function callerFields(fields: LogFields | undefined): LogFields {
  const safe: LogFields = {};
  if (!fields) return safe;
  let clean = true;
  for (const key in fields) {
    if (PROTECTED_LOG_FIELDS.has(key) || fields[key] instanceof Error) {
      clean = false;
      break;
    }
  }
  // The common case, plain fields: no copy. pino does not modify the object it is given.
  if (clean) return fields;
  for (const [key, value] of Object.entries(fields)) {
    if (PROTECTED_LOG_FIELDS.has(key)) continue;
    if (value instanceof Error) {
      const database = isDbError(value);
      const message = database ? rememberDbErrorMessage(String(value.message)) : value.message;
      safe['error.type'] = value.name;
      safe['error.message'] = message;
      safe['error.stack'] = database && typeof value.stack === 'string' ? sanitizeStack(value.stack, String(value.message)) : value.stack;
      const code = (value as { code?: unknown }).code;
      if (typeof code === 'string' || typeof code === 'number') safe['error.code'] = code;
      if (key !== 'err' && key !== 'error') safe[key] = message;
    } else {
      safe[key] = value;
    }
  }
  return safe;
}
