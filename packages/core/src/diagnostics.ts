import type { LogLevel } from './types';

/**
 * Threadline's own diagnostic logger: one line per message on stderr, prefixed so it is never
 * mistaken for the app's output. Repeated failures are rate-limited per key: the first one is
 * written, later ones are counted and summarised at most once per interval.
 */
export interface Diagnostics {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  /** Writes `message` the first time `key` is seen, never again. */
  warnOnce(key: string, message: string): void;
  /** Records a suppressed runtime failure: counted always, written rate-limited. */
  suppressed(key: string, error: unknown): void;
  /**
   * Writes one line per key with failures held back by the rate limit since its last line,
   * with the total count; called at shutdown and exit, so no repeated failure goes unsaid.
   */
  reportHeldBack(): void;
  /** How many suppressed failures were seen per key. */
  readonly counters: ReadonlyMap<string, number>;
}

export type DiagnosticsSink = (line: string) => void;

const SEVERITY: Record<LogLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5, all: 6 };
export const DEFAULT_RATE_LIMIT_MILLIS = 60_000;

const writeToStderr: DiagnosticsSink = (line) => {
  try {
    process.stderr.write(line);
  } catch {
    // stderr closed: nothing left to tell.
  }
};

export function createDiagnostics(
  level: LogLevel = 'info',
  sink: DiagnosticsSink = writeToStderr,
  rateLimitMillis = DEFAULT_RATE_LIMIT_MILLIS,
): Diagnostics {
  const threshold = SEVERITY[level];
  const seenOnce = new Set<string>();
  const counters = new Map<string, number>();
  const lastWritten = new Map<string, { at: number; countAtWrite: number }>();

  const write = (severity: LogLevel, message: string): void => {
    if (SEVERITY[severity] <= threshold) sink(`threadline ${severity}: ${message}\n`);
  };

  return {
    error: (message) => write('error', message),
    warn: (message) => write('warn', message),
    info: (message) => write('info', message),
    debug: (message) => write('debug', message),
    warnOnce(key, message) {
      if (seenOnce.has(key)) return;
      seenOnce.add(key);
      write('warn', message);
    },
    suppressed(key, error) {
      const count = (counters.get(key) ?? 0) + 1;
      counters.set(key, count);
      const now = Date.now();
      const last = lastWritten.get(key);
      if (last && now - last.at < rateLimitMillis) return;
      const repeats = last ? count - last.countAtWrite - 1 : 0;
      lastWritten.set(key, { at: now, countAtWrite: count });
      const suffix = repeats > 0 ? ` (${repeats} more since the last report)` : '';
      write('warn', `${key}: ${describeError(error)}${suffix}`);
    },
    reportHeldBack() {
      for (const [key, count] of counters) {
        const last = lastWritten.get(key);
        if (!last || last.countAtWrite === count) continue;
        lastWritten.set(key, { at: last.at, countAtWrite: count });
        write('warn', `${key}: ${count} times since start (${count - last.countAtWrite} after the last report)`);
      }
    },
    counters,
  };
}

/**
 * The semantic conventions' `error.type` for a thrown value: its code (`ECONNREFUSED`), else its
 * name (`TypeError`), else `_OTHER`.
 */
export function errorTypeOf(error: unknown): string {
  const typed = error as { code?: unknown; name?: unknown } | undefined;
  if (typeof typed?.code === 'string') return typed.code;
  if (typeof typed?.name === 'string') return typed.name;
  return '_OTHER';
}

export function describeError(error: unknown): string {
  if (Array.isArray(error)) return error.map(describeError).join('; ');
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
