import { format } from 'node:util';
import { LOG_FIELDS } from '@threadline/core';
import { activeCorrelationFields } from './correlation-fields';
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
 * Returns the function that puts the original methods back.
 */
export function correlateConsole(service: string, sink: LogSink | undefined): () => void {
  const originals = new Map<string, (...args: unknown[]) => void>();
  for (const [name, { level, stream }] of Object.entries(METHODS)) {
    const method = name as keyof typeof METHODS;
    originals.set(name, console[method]);
    console[method] = (...args: unknown[]) => {
      const message = format(...args);
      const line = {
        [LOG_FIELDS.timestamp]: new Date().toISOString(),
        [LOG_FIELDS.level]: level,
        [LOG_FIELDS.service]: service,
        ...activeCorrelationFields(),
        message,
      };
      process[stream].write(`${JSON.stringify(line)}\n`);
      sink?.emit({ level, body: message, attributes: {} });
    };
  }
  return () => {
    for (const [name, original] of originals) console[name as keyof typeof METHODS] = original;
  };
}
