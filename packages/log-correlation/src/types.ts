/** Public types of the Threadline logger. */

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export type LogFields = Record<string, unknown>;

/**
 * `logger.error('order.processing.failed', { orderId, err })` writes one JSON line with the
 * event, the fields and the correlation fields of the request being served.
 */
export interface Logger {
  trace(event: string, fields?: LogFields): void;
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  fatal(event: string, fields?: LogFields): void;
  /** A logger whose lines all carry `bindings` (correlation field names are ignored). */
  child(bindings: LogFields): Logger;
  isLevelEnabled(level: LogLevelName): boolean;
}

/** One record on its way to OTLP. */
export interface LogRecordInput {
  level: LogLevelName;
  body: string;
  attributes: LogFields;
}

/** Where records go besides stdout (OTLP, console exporter); set up by the bootstrap. */
export interface LogSink {
  emit(record: LogRecordInput): void;
}
