import type { LogLevelName } from './types';

/** OTLP SeverityNumber for each level (the log data model's ranges: TRACE=1, DEBUG=5, ...). */
export const SEVERITY_NUMBER: Record<LogLevelName, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

/** OTLP SeverityText for each level: the level's name in capitals. */
export const SEVERITY_TEXT = Object.fromEntries(Object.keys(SEVERITY_NUMBER).map((level) => [level, level.toUpperCase()])) as Record<LogLevelName, string>;

/** pino's numeric levels, and winston's and console's names, to ours. */
export function levelFromPino(level: number): LogLevelName {
  if (level >= 60) return 'fatal';
  if (level >= 50) return 'error';
  if (level >= 40) return 'warn';
  if (level >= 30) return 'info';
  if (level >= 20) return 'debug';
  return 'trace';
}

const NAMED_LEVELS: Record<string, LogLevelName> = {
  emerg: 'fatal', alert: 'fatal', crit: 'fatal', fatal: 'fatal',
  error: 'error', warning: 'warn', warn: 'warn',
  notice: 'info', info: 'info', http: 'debug', log: 'info',
  verbose: 'debug', debug: 'debug', silly: 'trace', trace: 'trace',
};

export function levelFromName(name: string): LogLevelName {
  return NAMED_LEVELS[name] ?? 'info';
}
