import type { Baggage, Context } from '@opentelemetry/api';
import { propagation } from '@opentelemetry/api';
import { PROTECTED_LOG_FIELDS, REQUEST_ID_BAGGAGE_KEY } from './correlation';
import type { RequestAttributeValue, RequestContext } from './request-context';
import { getRequestContext } from './request-context';
import { generateRequestId, isValidRequestId } from './request-id';

/** Baggage members that carry a request's attributes and feature flags across a queue or a thread. */
export const REQUEST_ATTRIBUTE_BAGGAGE_PREFIX = 'request.attribute.';
export const FEATURE_FLAG_BAGGAGE_PREFIX = 'feature_flag.';

// What arrives is untrusted: bounded count, key shape and value length, so a producer cannot
// flood a consumer's spans and log lines.
const MAX_CARRIED_ENTRIES = 32;
const MAX_CARRIED_VALUE_LENGTH = 256;
const SAFE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The context to inject into an outgoing message or a thread: the active one, with the
 * current request's ID, attributes and feature flags added to its baggage.
 */
export function withCarriedRequest(active: Context): Context {
  const request = getRequestContext(active);
  if (!request) return active;
  let baggage = propagation.getBaggage(active) ?? propagation.createBaggage();
  baggage = baggage.setEntry(REQUEST_ID_BAGGAGE_KEY, { value: request.requestId });
  baggage = addEntries(baggage, REQUEST_ATTRIBUTE_BAGGAGE_PREFIX, request.attributes);
  baggage = addEntries(baggage, FEATURE_FLAG_BAGGAGE_PREFIX, request.featureFlags);
  return propagation.setBaggage(active, baggage);
}

function addEntries(baggage: Baggage, prefix: string, values: Record<string, RequestAttributeValue>): Baggage {
  let count = 0;
  for (const [key, value] of Object.entries(values)) {
    if (count++ >= MAX_CARRIED_ENTRIES || !SAFE_KEY.test(key)) continue;
    baggage = baggage.setEntry(prefix + key, { value: String(value).slice(0, MAX_CARRIED_VALUE_LENGTH) });
  }
  return baggage;
}

/**
 * The request a message or a thread continues, from what was extracted: the request ID given
 * beside the message when valid, else the `request.id` baggage member when valid, else a fresh
 * one (an invalid value is dropped here, never echoed or logged). Attributes and feature flags
 * come back from baggage as strings, `true`/`false` as booleans.
 */
export function restoreCarriedRequest(extracted: Context, givenRequestId: unknown, entrySpan: RequestContext['entrySpan']): RequestContext {
  const baggage = propagation.getBaggage(extracted);
  const fromBaggage = baggage?.getEntry(REQUEST_ID_BAGGAGE_KEY)?.value;
  const requestId = isValidRequestId(givenRequestId) ? givenRequestId : isValidRequestId(fromBaggage) ? fromBaggage : generateRequestId();
  const request: RequestContext = { requestId, entrySpan, attributes: {}, featureFlags: {}, version: 0 };
  if (!baggage) return request;
  for (const [key, entry] of baggage.getAllEntries()) {
    const target = key.startsWith(REQUEST_ATTRIBUTE_BAGGAGE_PREFIX)
      ? { into: request.attributes, name: key.slice(REQUEST_ATTRIBUTE_BAGGAGE_PREFIX.length) }
      : key.startsWith(FEATURE_FLAG_BAGGAGE_PREFIX)
        ? { into: request.featureFlags, name: key.slice(FEATURE_FLAG_BAGGAGE_PREFIX.length) }
        : undefined;
    if (!target || !SAFE_KEY.test(target.name) || PROTECTED_LOG_FIELDS.has(target.name)) continue;
    if (Object.keys(target.into).length >= MAX_CARRIED_ENTRIES) continue;
    target.into[target.name] = parseCarriedValue(entry.value.slice(0, MAX_CARRIED_VALUE_LENGTH));
  }
  return request;
}

function parseCarriedValue(value: string): RequestAttributeValue {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** The baggage of a continued request, with its (possibly fresh) request ID in place of the carried one. */
export function baggageWithRequestId(extracted: Context, requestId: string): Context {
  const baggage = (propagation.getBaggage(extracted) ?? propagation.createBaggage()).setEntry(REQUEST_ID_BAGGAGE_KEY, { value: requestId });
  return propagation.setBaggage(extracted, baggage);
}
