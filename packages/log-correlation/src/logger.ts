import { trace } from '@opentelemetry/api';
import type { LoggerLevel } from '@threadline/core';
import { LOG_FIELDS, getRequestContext } from '@threadline/core';
import { callerFields, correlationFields, perActiveContext } from './correlation-fields';
import { isoTimestampField } from './iso-timestamp';
import { OWN_PINO_LOGGER } from './own-loggers';
import { createPrettyDestination } from './pretty-destination';
import type { LogFields, LogLevelName, Logger, LogSink } from './types';

export interface LoggerOptions {
  service: string;
  level?: LoggerLevel;
  pretty?: boolean;
  /** Where records also go (OTLP); the bootstrap passes its log pipeline. */
  sink?: LogSink;
  /** Where lines are written; standard output by default. */
  destination?: { write(line: string): unknown };
}

type PinoInstance = {
  [level in LogLevelName]: (object: LogFields, message: string) => void;
} & {
  child(bindings: LogFields): PinoInstance;
  isLevelEnabled(level: string): boolean;
  /** The numeric threshold (pino's own levels: trace 10 ... fatal 60). */
  levelVal: number;
};

const LEVEL_VALUES: Record<LogLevelName, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The structured logger, built on pino: options resolved once here, one JSON line per call with
 * `timestamp` (ISO 8601, UTC), `level` (a word), `service`, the correlation fields, the
 * caller's fields and `event`. Correlation fields always win: the caller's fields never carry
 * their names.
 *
 * The correlation fields are pino child bindings, made once per span (and renewed when the
 * request's attributes change), so pino serializes them once, not on every line: a mixin
 * built them per line and cost ~4 µs a line here.
 */
export function createLogger(options: LoggerOptions): Logger {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pino loads with the first logger, not at start
  const pino = require('pino') as (options: object, destination?: object) => PinoInstance;
  const pinoOptions = {
    level: options.level ?? 'info',
    base: { [LOG_FIELDS.service]: options.service },
    messageKey: LOG_FIELDS.event,
    timestamp: isoTimestampField(LOG_FIELDS.timestamp),
    formatters: { level: (label: string) => ({ [LOG_FIELDS.level]: label }) },
  };
  const destination = options.destination ?? (options.pretty ? createPrettyDestination() : undefined);
  const instance = destination ? pino(pinoOptions, destination) : pino(pinoOptions);
  (instance as unknown as Record<symbol, boolean>)[OWN_PINO_LOGGER] = true;
  return wrap(instance, NO_BINDINGS, options.sink);
}

const NO_BINDINGS: LogFields = {};

/**
 * The pino logger to write with where this runs: `instance` outside any span and request, else
 * a child bound to the correlation fields, cached per span (or request) and request version.
 */
function createCorrelatedChildren(instance: PinoInstance): () => PinoInstance {
  const children = new WeakMap<object, { version: number; child: PinoInstance }>();
  return perActiveContext((active) => {
    const span = trace.getSpan(active);
    const request = getRequestContext(active);
    const owner = span ?? request;
    if (!owner) return instance;
    const version = request?.version ?? 0;
    const cached = children.get(owner);
    if (cached && cached.version === version) return cached.child;
    const child = instance.child(correlationFields(active));
    children.set(owner, { version, child });
    return child;
  });
}

function wrap(instance: PinoInstance, bindings: LogFields, sink: LogSink | undefined): Logger {
  const correlated = createCorrelatedChildren(instance);
  const logger = {} as Logger;
  for (const level of LEVELS) {
    const value = LEVEL_VALUES[level];
    logger[level] = (event: string, fields?: LogFields) => {
      if (value < instance.levelVal) return;
      const safe = callerFields(fields);
      const body = typeof event === 'string' ? event : String(event);
      correlated()[level](safe, body);
      sink?.emit({ level, body, attributes: bindings === NO_BINDINGS ? safe : { ...bindings, ...safe } });
    };
  }
  logger.child = (childBindings: LogFields) => {
    const safe = callerFields(childBindings);
    return wrap(instance.child(safe), { ...bindings, ...safe }, sink);
  };
  logger.isLevelEnabled = (level: LogLevelName) => instance.isLevelEnabled(level);
  return logger;
}
