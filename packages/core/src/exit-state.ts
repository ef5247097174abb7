/**
 * Whether the process is on its way out (`beforeExit`, a signal, or `shutdown()`), and by when
 * it must be done. Exporters read it: once exiting, an export gets one attempt that ends by the
 * deadline, so a dead collector cannot hold a finished process open for its retry schedule.
 */
let exitDeadline: number | undefined;

export function markExiting(timeoutMillis: number): void {
  const deadline = timeoutMillis > 0 ? Date.now() + timeoutMillis : Infinity;
  exitDeadline = exitDeadline === undefined ? deadline : Math.min(exitDeadline, deadline);
}

/** Milliseconds left before the exit deadline, or undefined while the process is not exiting. */
export function remainingExitMillis(): number | undefined {
  return exitDeadline === undefined ? undefined : Math.max(1, exitDeadline - Date.now());
}
