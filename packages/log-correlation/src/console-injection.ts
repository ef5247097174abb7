import { format } from 'node:util';
import { LOG_FIELDS, cutString } from '@threadline/core';
import { activeCorrelationFields } from './correlation-fields';
import type { LogPolicy } from './log-policy';
import { defaultLogPolicy, newBounder, withCutCount } from './log-policy';
import type { LogLevelName, LogSink } from './types';

const METHODS: Record<'log' | 'info' | 'warn' | 'error' | 'debug', { level: LogLevelName; stream: 'stdout' | 'stderr' }> = {
  log: { level: 'info', stream: 'stdout' },
  info: { level: 'info', stream: 'stdout' },
  debug: { level: 'debug', stream: 'stdout' },
  warn: { level: 'warn', stream: 'stderr' },
  error: { level: 'error', stream: 'stderr' },
};

/**
 * Opt-in (`THREADLINE_CONSOLE=true`): `console.log('paid', order)` becomes one JSON line with
 * the correlation fields and the formatted text as `message`, on the stream the method used.
 * Objects holding secret-looking names are formatted from masked copies; the text is cut at
 * the record limit. Returns the function that puts the original methods back.
 */
export function correlateConsole(service: string, sink: LogSink | undefined, policy: LogPolicy = defaultLogPolicy()): () => void {
  const originals = new Map<string, (...args: unknown[]) => void>();
  for (const [name, { level, stream }] of Object.entries(METHODS)) {
    const method = name as keyof typeof METHODS;
    const original = console[method];
    originals.set(name, original);
    console[method] = (...args: unknown[]) => {
      let line: string;
      try {
        const masking = newBounder(policy);
        const bounded = args.map((arg) => (typeof arg === 'object' && arg !== null ? masking.value(arg, 1) : arg));
        const message = cutString(format(...(masking.stats.redacted > 0 ? bounded : args)), policy.limits.maxRecordLength);
        const bounder = newBounder(policy);
        line = JSON.stringify({
          [LOG_FIELDS.timestamp]: new Date().toISOString(),
          [LOG_FIELDS.level]: level,
          [LOG_FIELDS.service]: service,
          ...activeCorrelationFields(),
          message,
        });
        sink?.emit({ level, body: bounder.body(message), attributes: withCutCount({}, bounder) });
      } catch (error) {
        policy.onError(error);
        original.apply(console, args);
        return;
      }
      process[stream].write(`${line}\n`);
    };
  }
  return () => {
    for (const [name, original] of originals) console[name as keyof typeof METHODS] = original;
  };
}
