import { PROTECTED_LOG_FIELDS } from '@threadline/core';
import { activeCorrelationFields, callerFields } from './correlation-fields';
import { levelFromName } from './severity';
import type { LogFields, LogSink } from './types';

const PATCHED = Symbol.for('threadline.winston-create-logger');

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
  const original = winston.createLogger as Winston['createLogger'] & { [PATCHED]?: true };
  // The same winston can arrive twice: through `require` and handed over by a bundled app.
  if (original[PATCHED]) return winston;
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
  const correlatedCreateLogger = function (this: unknown, options: Record<string, unknown> = {}) {
    const format = winston.format.combine(correlate(), options.format ?? winston.format.json());
    return original.call(this, { ...options, format });
  };
  winston.createLogger = Object.assign(correlatedCreateLogger, { [PATCHED]: true as const });
  return winston;
}
