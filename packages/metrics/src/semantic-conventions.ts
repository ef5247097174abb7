/** Instrument names, units and buckets from the HTTP, database and runtime semantic conventions. */
export const HTTP_SERVER_DURATION = 'http.server.request.duration';
export const HTTP_CLIENT_DURATION = 'http.client.request.duration';
export const DB_CLIENT_DURATION = 'db.client.operation.duration';
/** The conventions' recommended boundaries for request durations, in seconds. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
/** The attributes of a DB span that may become metric attributes (bounded: no query text). */
export const DB_METRIC_ATTRIBUTES = ['db.system.name', 'db.operation.name', 'db.collection.name', 'db.namespace', 'server.address', 'server.port', 'error.type'];
/** Messaging instruments (semantic conventions for messaging metrics). */
export const MESSAGING_CLIENT_OPERATION_DURATION = 'messaging.client.operation.duration';
export const MESSAGING_PROCESS_DURATION = 'messaging.process.duration';
export const MESSAGING_CLIENT_SENT_MESSAGES = 'messaging.client.sent.messages';
export const MESSAGING_CLIENT_CONSUMED_MESSAGES = 'messaging.client.consumed.messages';
