import { PROTECTED_LOG_FIELDS } from '@threadline/core';
import { activeCorrelationFields, callerFields } from './correlation-fields';
import { levelFromName } from './severity';
import type { LogFields, LogSink } from './types';

interface Winston {
  createLogger: (options?: Record<string, unknown>) => unknown;
  format: ((transform: (info: Record<string, unknown>) => unknown) => () => unknown) & {
    combine: (...formats: unknown[]) => unknown;
    json: () => unknown;
  };
}

/**
 * Makes every `winston.createLogger()` logger put the correlation fields on each entry
 * (replacing any the caller logged under those names) and send it to the log pipeline; the
 * app's own format runs after, JSON by default as in winston.
 */
export function instrumentWinston(winston: Winston, sink: LogSink | undefined): Winston {
  const original = winston.createLogger;
  const correlate = winston.format((info) => {
    for (const key of PROTECTED_LOG_FIELDS) {
      if (key !== 'level' && key !== 'timestamp') delete info[key];
    }
    Object.assign(info, activeCorrelationFields());
    if (sink) {
      const { level, message, ...rest } = info;
      sink.emit({ level: levelFromName(String(level)), body: String(message ?? ''), attributes: callerFields(rest as LogFields) });
    }
    return info;
  });
  winston.createLogger = function (this: unknown, options: Record<string, unknown> = {}) {
    const format = winston.format.combine(correlate(), options.format ?? winston.format.json());
    return original.call(this, { ...options, format });
  };
  return winston;
}
