import type { Diagnostics } from './diagnostics';
import type { LifecycleResult } from './types';
import { runWithDeadline } from './deadline';
import { markExiting, markExitingWhileFlushing } from './exit-state';
import { guard } from './guard';
import { abortInFlightExports } from './otlp/http-transport';

export interface ProcessHooksOptions {
  handleSignals: boolean;
  timeoutMillis: number;
  flush: () => Promise<unknown>;
  shutdown: () => Promise<unknown>;
  /** True when something was recorded since the last flush; `beforeExit` flushes only then. */
  hasPendingWork: () => boolean;
  /**
   * At the `exit` event, whoever ends the process (`process.exit()` from the app's own
   * handler, an uncaught exception): synchronous work only, the event loop is done.
   */
  onExit: () => void;
  /** An uncaught exception or unhandled rejection, before Node's own handling (which still follows). */
  onUncaught: (error: unknown, origin: string) => void;
  diagnostics: Diagnostics;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Cooperative shutdown. On SIGTERM/SIGINT: if the app listens for the signal itself, only flush
 * and let the app decide; otherwise shut down within the deadline and re-raise the signal so the
 * process ends exactly as it would have without Threadline (exit status 128 + signal number).
 * If the app's handler lets go of the signal while Threadline still flushes (it re-raises the
 * signal after its own clean-up), the flush finishes first, then the shutdown. A second signal
 * during the shutdown ends the process at once. `beforeExit` flushes pending work; the `exit`
 * event sends what is still undelivered synchronously.
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
      // What Threadline is doing about this signal: nothing, flushing for an app that handles
      // it, or shutting down before ending the process.
      let state: 'idle' | 'flushing' | 'shutting-down' = 'idle';
      let current: Promise<unknown> = Promise.resolve();
      const shutDownAndEnd = (): void => {
        state = 'shutting-down';
        markExiting(options.timeoutMillis);
        current = runWithDeadline(options.shutdown, options.timeoutMillis, true).then((result) => {
          report(options.diagnostics, `${signal} shutdown`, result);
          reraise(signal);
        });
      };
      const handler = (): void => {
        const appHandlesSignal = process.listenerCount(signal) > 1;
        if (state === 'shutting-down') {
          // A second signal while shutting down: whoever sent it wants the process gone now.
          if (!appHandlesSignal) reraise(signal);
          return;
        }
        if (state === 'flushing') {
          // The app handled the first signal and has now let go of it (typically: it cleaned
          // up and re-raised the signal). Finish the flush, then shut down and end.
          if (!appHandlesSignal) void current.then(shutDownAndEnd);
          return;
        }
        if (!appHandlesSignal) {
          shutDownAndEnd();
          return;
        }
        state = 'flushing';
        current = runWithDeadline(options.flush, options.timeoutMillis, true).then((result) => {
          report(options.diagnostics, `${signal} flush`, result);
          if (state === 'flushing') state = 'idle';
        });
      };
      handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  const onBeforeExit = (): void => {
    if (flushingOnExit || !options.hasPendingWork()) return;
    flushingOnExit = true;
    const endExiting = markExitingWhileFlushing(options.timeoutMillis);
    void runWithDeadline(options.flush, options.timeoutMillis).then((result) => {
      flushingOnExit = false;
      endExiting();
      // The process is done; an export still waiting for its answer would only hold it open.
      if (result.status === 'timeout') abortInFlightExports();
      report(options.diagnostics, 'flush before exit', result);
    });
  };
  process.on('beforeExit', onBeforeExit);
  const onExit = guard(options.diagnostics, 'sending telemetry at exit', options.onExit);
  process.on('exit', onExit);
  // The monitor sees the error and the context it was thrown in, and changes nothing about what
  // Node (or the app's own `uncaughtException` handler) does next.
  const onUncaught = guard(options.diagnostics, 'recording an uncaught exception', options.onUncaught);
  process.on('uncaughtExceptionMonitor', onUncaught);

  return () => {
    removeSignalHandlers();
    process.removeListener('beforeExit', onBeforeExit);
    process.removeListener('exit', onExit);
    process.removeListener('uncaughtExceptionMonitor', onUncaught);
  };
}

function report(diagnostics: Diagnostics, what: string, result: LifecycleResult): void {
  if (result.status === 'ok') diagnostics.debug(`${what} finished in ${result.durationMillis} ms`);
  else if (result.status === 'timeout') diagnostics.warn(`${what} did not finish within ${result.durationMillis} ms; telemetry may be lost`);
  else diagnostics.warn(`${what} failed: ${result.error ?? 'unknown error'}`);
}
