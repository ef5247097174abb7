/**
 * Whether the process is on its way out, and by when it must be done. Exporters read it: while
 * exiting, an export gets one attempt that ends by the deadline, so a dead collector cannot
 * hold a finished process open for its retry schedule.
 *
 * A signal or `shutdown()` is an exit for good. `beforeExit` is not: the app may schedule more
 * work from it, so that exit lasts only as long as its flush, and a process that goes on
 * working exports with its normal timeouts and retries again.
 */
let finalDeadline: number | undefined;
let flushDeadline: number | undefined;

const deadlineIn = (timeoutMillis: number): number => (timeoutMillis > 0 ? Date.now() + timeoutMillis : Infinity);

/** The process is ending (a signal, `shutdown()`): from now on, every export is bounded by the deadline. */
export function markExiting(timeoutMillis: number): void {
  const deadline = deadlineIn(timeoutMillis);
  finalDeadline = finalDeadline === undefined ? deadline : Math.min(finalDeadline, deadline);
}

/**
 * The process may be ending (`beforeExit`): exports are bounded by the deadline until the
 * returned function is called, when the flush is over.
 */
export function markExitingWhileFlushing(timeoutMillis: number): () => void {
  const deadline = deadlineIn(timeoutMillis);
  flushDeadline = deadline;
  return () => {
    if (flushDeadline === deadline) flushDeadline = undefined;
  };
}

/** Milliseconds left before the exit deadline, or undefined while the process is not exiting. */
export function remainingExitMillis(): number | undefined {
  const deadline = finalDeadline === undefined ? flushDeadline : flushDeadline === undefined ? finalDeadline : Math.min(finalDeadline, flushDeadline);
  return deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
}
