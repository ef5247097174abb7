import type { Diagnostics } from './diagnostics';
import type { LifecycleResult } from './types';
import { runWithDeadline } from './deadline';
import { markExiting } from './exit-state';

export interface ProcessHooksOptions {
  handleSignals: boolean;
  timeoutMillis: number;
  flush: () => Promise<unknown>;
  shutdown: () => Promise<unknown>;
  /** True when something was recorded since the last flush; `beforeExit` flushes only then. */
  hasPendingWork: () => boolean;
  diagnostics: Diagnostics;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Cooperative shutdown. On SIGTERM/SIGINT: if the app listens for the signal itself, only flush
 * and let the app decide; otherwise shut down within the deadline and re-raise the signal so the
 * process ends exactly as it would have without Threadline (exit status 128 + signal number).
 * A second signal while flushing ends the process at once. `beforeExit` flushes pending work.
 * Returns a function that removes every hook.
 */
export function installProcessHooks(options: ProcessHooksOptions): () => void {
  let flushingOnExit = false;
  const handlers = new Map<NodeJS.Signals, () => void>();

  const removeSignalHandlers = (): void => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
    handlers.clear();
  };

  const reraise = (signal: NodeJS.Signals): void => {
    removeSignalHandlers();
    process.kill(process.pid, signal);
  };

  if (options.handleSignals) {
    for (const signal of SIGNALS) {
      let inProgress = false;
      const handler = (): void => {
        const appHandlesSignal = process.listenerCount(signal) > 1;
        if (inProgress) {
          if (!appHandlesSignal) reraise(signal);
          return;
        }
        inProgress = true;
        if (!appHandlesSignal) markExiting(options.timeoutMillis);
        const task = appHandlesSignal ? options.flush : options.shutdown;
        void runWithDeadline(task, options.timeoutMillis, true).then((result) => {
          inProgress = false;
          report(options.diagnostics, `${signal} ${appHandlesSignal ? 'flush' : 'shutdown'}`, result);
          if (!appHandlesSignal) reraise(signal);
        });
      };
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  const onBeforeExit = (): void => {
    if (flushingOnExit || !options.hasPendingWork()) return;
    flushingOnExit = true;
    markExiting(options.timeoutMillis);
    void runWithDeadline(options.flush, options.timeoutMillis).then((result) => {
      flushingOnExit = false;
      report(options.diagnostics, 'flush before exit', result);
    });
  };
  process.on('beforeExit', onBeforeExit);

  return () => {
    removeSignalHandlers();
    process.removeListener('beforeExit', onBeforeExit);
  };
}

function report(diagnostics: Diagnostics, what: string, result: LifecycleResult): void {
  if (result.status === 'ok') diagnostics.debug(`${what} finished in ${result.durationMillis} ms`);
  else if (result.status === 'timeout') diagnostics.warn(`${what} did not finish within ${result.durationMillis} ms; telemetry may be lost`);
  else diagnostics.warn(`${what} failed: ${result.error ?? 'unknown error'}`);
}
