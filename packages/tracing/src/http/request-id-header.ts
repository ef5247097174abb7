import type { Context } from '@opentelemetry/api';
import { propagation } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import { REQUEST_ID_BAGGAGE_KEY, generateRequestId, isValidRequestId } from '@threadline/core';

/**
 * The request ID for an inbound request: the first valid value among the configured headers,
 * else the one an upstream Threadline service put in baggage, else a new one. An invalid
 * value is dropped here and never echoed or logged.
 */
export function resolveRequestId(headers: IncomingHttpHeaders, headerNames: readonly string[], extracted: Context): string {
  for (const name of headerNames) {
    const raw = headers[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (isValidRequestId(value)) return value;
  }
  const fromBaggage = propagation.getBaggage(extracted)?.getEntry(REQUEST_ID_BAGGAGE_KEY)?.value;
  return isValidRequestId(fromBaggage) ? fromBaggage : generateRequestId();
}
