import type { LoggerLevel } from '@threadline/core';
import { LOG_FIELDS } from '@threadline/core';
import { callerFields, correlationFields } from './correlation-fields';
import { ownPinoOptions } from './own-loggers';
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
};

const LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The structured logger, built on pino: options resolved once here, one JSON line per call with
 * `timestamp` (ISO 8601, UTC), `level` (a word), `service`, the correlation fields, the
 * caller's fields and `event`. Correlation fields always win over the caller's.
 */
export function createLogger(options: LoggerOptions): Logger {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pino loads with the first logger, not at start
  const pino = require('pino') as (options: object, destination?: object) => PinoInstance;
  const pinoOptions = {
    level: options.level ?? 'info',
    base: { [LOG_FIELDS.service]: options.service },
    messageKey: LOG_FIELDS.event,
    timestamp: () => `,"${LOG_FIELDS.timestamp}":"${new Date().toISOString()}"`,
    formatters: { level: (label: string) => ({ [LOG_FIELDS.level]: label }) },
    mixin: () => correlationFields(),
    // pino lets the call's object win over the mixin by default; here the mixin (correlation) wins.
    mixinMergeStrategy: (mergeObject: object, mixinObject: object) => Object.assign(mergeObject, mixinObject),
  };
  ownPinoOptions().add(pinoOptions);
  const destination = options.destination ?? (options.pretty ? createPrettyDestination() : undefined);
  const instance = destination ? pino(pinoOptions, destination) : pino(pinoOptions);
  return wrap(instance, {}, options.sink);
}

function wrap(instance: PinoInstance, bindings: LogFields, sink: LogSink | undefined): Logger {
  const logger = {} as Logger;
  for (const level of LEVELS) {
    logger[level] = (event: string, fields?: LogFields) => {
      if (!instance.isLevelEnabled(level)) return;
      const safe = callerFields(fields);
      // Emitted first: pino's merge strategy adds the correlation fields to `safe` in place.
      sink?.emit({ level, body: String(event), attributes: { ...bindings, ...safe } });
      instance[level](safe, String(event));
    };
  }
  logger.child = (childBindings: LogFields) => {
    const safe = callerFields(childBindings);
    return wrap(instance.child(safe), { ...bindings, ...safe }, sink);
  };
  logger.isLevelEnabled = (level: LogLevelName) => instance.isLevelEnabled(level);
  return logger;
}
