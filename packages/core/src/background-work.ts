import type { Span } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { REQUEST_ID_ATTRIBUTE, REQUEST_ID_BAGGAGE_KEY } from './correlation';
import { errorTypeOf } from './diagnostics';
import { createRequestContext, withRequestContext } from './request-context';
import { generateRequestId } from './request-id';
import { THREADLINE_VERSION } from './version';

/**
 * Runs work that no request started (a timer, a sweep, a repeatable job) as its own root span
 * with a fresh request ID, so its log lines, queries and calls are as queryable as a request's.
 * Returns what `work` returns; its errors reach the caller unchanged after being recorded.
 */
export function runInBackground<T>(name: string, work: () => T): T {
  const requestId = generateRequestId();
  const span = trace
    .getTracer('@threadline/core', THREADLINE_VERSION)
    .startSpan(name, { kind: SpanKind.INTERNAL, root: true, attributes: { [REQUEST_ID_ATTRIBUTE]: requestId, 'threadline.background': true } }, ROOT_CONTEXT);
  const baggage = propagation.createBaggage().setEntry(REQUEST_ID_BAGGAGE_KEY, { value: requestId });
  const active = withRequestContext(propagation.setBaggage(trace.setSpan(ROOT_CONTEXT, span), baggage), createRequestContext(requestId, span));
  let result: T;
  try {
    result = context.with(active, work);
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  if (isThenable(result)) {
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        endWithError(span, error);
        throw error;
      },
    ) as T;
  }
  span.end();
  return result;
}

function endWithError(span: Span, error: unknown): void {
  span.setAttribute('error.type', errorTypeOf(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
  span.end();
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
