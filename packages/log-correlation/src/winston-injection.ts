import { REDACTED_VALUE, sanitizeSeenDbErrors } from '@threadline/core';
import { activeCorrelationFields } from './correlation-fields';
import type { LogPolicy } from './log-policy';
import { defaultLogPolicy, newBounder, withCutCount } from './log-policy';
import { CORRELATION_KEYS } from './pino-line';
import { levelFromName } from './severity';
import type { LogSink } from './types';

type Format = (transform: (info: Record<string | symbol, unknown>) => unknown) => () => unknown;

const PATCHED = Symbol.for('threadline.winston-create-logger');

interface Winston {
  createLogger: (options?: Record<string, unknown>) => unknown;
  format: Format & {
    combine: (...formats: unknown[]) => unknown;
    json: () => unknown;
  };
}

/** winston's own key for the level before any colorizing. */
const LEVEL = Symbol.for('level');
/** What the first format cut, for the record the last one exports (symbols are not written out). */
const CUT = Symbol('threadline.cut');

/**
 * Makes every `winston.createLogger()` logger put the correlation fields on each entry
 * (replacing any the caller logged under those names), mask secret-looking names, run the
 * app's own format (JSON by default, as in winston), and send the entry as that format left it
 * to the log pipeline. The entry is copied first: `log.info(order)` hands winston the caller's
 * object itself. A failure inside Threadline leaves the entry as the app would have written it.
 */
export function instrumentWinston(winston: Winston, sink: LogSink | undefined, policy: LogPolicy = defaultLogPolicy()): Winston {
  const original = winston.createLogger as Winston['createLogger'] & { [PATCHED]?: true };
  // The same winston can arrive twice: through `require` and handed over by a bundled app.
  if (original[PATCHED]) return winston;
  const correlate = winston.format((info) => {
    try {
      const entry: Record<string | symbol, unknown> = Object.assign({}, info);
      for (const key of CORRELATION_KEYS) delete entry[key];
      const bounder = newBounder(policy);
      for (const key of Object.keys(entry)) {
        if (key === 'level') continue;
        const value = entry[key];
        // A message that quotes a database error seen before (`log.error(err.message)`).
        if (key === 'message') {
          if (typeof value === 'string') entry.message = sanitizeSeenDbErrors(value);
          continue;
        }
        if (policy.redactor.isSecret(key)) entry[key] = REDACTED_VALUE;
        // Objects are copied bounded (a logged request walks its whole socket otherwise).
        else if (typeof value === 'object' && value !== null) entry[key] = bounder.value(value, 1);
      }
      entry[CUT] = bounder.stats.cut;
      return Object.assign(entry, activeCorrelationFields());
    } catch (error) {
      policy.onError(error);
      return info;
    }
  });
  const exportEntry = winston.format((info) => {
    if (!sink) return info;
    try {
      const bounder = newBounder(policy);
      const fields: Record<string, unknown> = {};
      const correlation = activeCorrelationFields();
      for (const key of Object.keys(info)) {
        if (key !== 'level' && key !== 'message' && !(key in correlation) && !CORRELATION_KEYS.includes(key)) fields[key] = info[key];
      }
      const attributes = bounder.fields(fields);
      if (typeof info[CUT] === 'number') bounder.stats.cut += info[CUT];
      const message = info.message;
      const body = bounder.body(typeof message === 'string' ? message : message === undefined ? '' : String(message));
      const level = typeof info[LEVEL] === 'string' ? (info[LEVEL] as string) : String(info.level);
      sink.emit({ level: levelFromName(level), body, attributes: withCutCount(attributes, bounder) });
    } catch (error) {
      policy.onError(error);
    }
    return info;
  });
  const correlatedCreateLogger = function (this: unknown, options: Record<string, unknown> = {}) {
    const format = winston.format.combine(correlate(), options.format ?? winston.format.json(), exportEntry());
    return original.call(this, { ...options, format });
  };
  winston.createLogger = Object.assign(correlatedCreateLogger, { [PATCHED]: true as const });
  return winston;
}
