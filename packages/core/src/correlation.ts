/**
 * The correlation contract: the names every signal uses for the same trace and request, in
 * one place (docs/correlation.md documents them).
 */
export const LOG_FIELDS = {
  traceId: 'trace_id',
  spanId: 'span_id',
  traceFlags: 'trace_flags',
  requestId: 'request_id',
  timestamp: 'timestamp',
  level: 'level',
  service: 'service',
  event: 'event',
  featureFlags: 'feature_flags',
} as const;

/** Fields a caller's log data can never overwrite. */
export const PROTECTED_LOG_FIELDS: ReadonlySet<string> = new Set(Object.values(LOG_FIELDS));

/** The request ID as a span attribute, an OTLP log attribute and an exemplar attribute. */
export const REQUEST_ID_ATTRIBUTE = 'request.id';
/** The request ID in W3C baggage, between Threadline services. */
export const REQUEST_ID_BAGGAGE_KEY = 'request.id';
/** The request ID header, read inbound (by default), echoed on the response, sent outbound. */
export const REQUEST_ID_HEADER = 'x-request-id';
