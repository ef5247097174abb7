import { ROOT_CONTEXT, context, propagation } from '@opentelemetry/api';
import { baggageWithRequestId, restoreCarriedRequest, withCarriedRequest } from './carried-request';
import { REQUEST_ID_HEADER } from './correlation';
import { getRequestContext, withRequestContext } from './request-context';

/** Structured clone drops symbols, so the marker is a plain property name nobody else uses. */
const CARRIED = '__threadlineContext';

export interface Carried<T> {
  [CARRIED]: Record<string, string>;
  data: T;
}

/**
 * Wraps data handed to a `worker_threads` Worker (as `workerData` or in `postMessage`) with
 * the current trace context and request (ID, attributes, feature flags), as W3C headers:
 * `new Worker(file, { workerData: carryContext(data) })`.
 */
export function carryContext<T>(data: T): Carried<T> {
  const headers: Record<string, string> = {};
  const active = context.active();
  propagation.inject(withCarriedRequest(active), headers);
  const requestId = getRequestContext(active)?.requestId;
  if (requestId) headers[REQUEST_ID_HEADER] = requestId;
  return { [CARRIED]: headers, data };
}

/**
 * In the worker: runs `work(data)` in the context `carryContext` captured, so its spans join
 * the trace and its log lines carry the request ID. Data that was not wrapped is passed
 * through and `work` runs in the current context.
 */
export function continueContext<T, R>(carried: Carried<T> | T, work: (data: T) => R): R {
  if (!isCarried<T>(carried)) return work(carried);
  const headers = carried[CARRIED];
  const extracted = propagation.extract(ROOT_CONTEXT, headers);
  const request = restoreCarriedRequest(extracted, headers[REQUEST_ID_HEADER], undefined);
  const active = withRequestContext(baggageWithRequestId(extracted, request.requestId), request);
  return context.with(active, () => work(carried.data));
}

function isCarried<T>(value: unknown): value is Carried<T> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[CARRIED] === 'object' && 'data' in value;
}
