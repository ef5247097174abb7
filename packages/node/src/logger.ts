import type { Logger, LogFields, LogLevelName, LogPolicy, LogSink } from '@threadline/log-correlation';
import { createLogPolicy, createLogger } from '@threadline/log-correlation';
import type { ResolvedConfig } from '@threadline/core';
import { getGlobalState, readAppPackage, resolveConfig, setGlobalState } from '@threadline/core';

const LOGGING_KEY = 'logging';

interface LoggingState {
  config: ResolvedConfig;
  sink: LogSink;
  policy: LogPolicy;
}

/** Called by `start()`: loggers made from now on send their records to the pipeline. */
export function registerLogging(config: ResolvedConfig, sink: LogSink, policy: LogPolicy): void {
  setGlobalState<LoggingState>(LOGGING_KEY, { config, sink, policy });
}

let instance: Logger | undefined;

/** The logger behind `logger`, made on first use with the started configuration (or the environment's). */
function current(): Logger {
  if (instance) return instance;
  const state = getGlobalState<LoggingState>(LOGGING_KEY);
  const config = state?.config ?? resolveConfig({}, process.env, readAppPackage()).config;
  const policy = state?.policy ?? createLogPolicy(config);
  instance = createLogger({ service: config.serviceName, level: config.logs.level, pretty: config.logs.pretty, sink: state?.sink, policy });
  return instance;
}

const LEVELS: readonly LogLevelName[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

/**
 * The service's structured logger: `logger.error('order.processing.failed', { orderId, err })`
 * writes one JSON line carrying the trace ID, span ID and request ID of the request being served.
 */
export const logger: Logger = {
  ...(Object.fromEntries(LEVELS.map((level) => [level, (event: string, fields?: LogFields) => current()[level](event, fields)])) as Pick<Logger, LogLevelName>),
  child: (bindings: LogFields) => current().child(bindings),
  isLevelEnabled: (level: LogLevelName) => current().isLevelEnabled(level),
};
