import type { Diagnostics } from './diagnostics';

/**
 * What a guarded function becomes: same `this` and arguments, never throws. Listeners,
 * diagnostics-channel subscribers and span processor callbacks get at most two arguments, so
 * the guard passes two instead of a rest array (no per-call allocation).
 */
export type Guarded<This, Args extends unknown[]> = (this: This, ...args: Args) => void;

/**
 * Every guarded function carries its `what` under this key, so that doctor mode can prove a
 * diagnostics channel has Threadline's subscriber (and which one) rather than assume it.
 */
export const GUARDED_BY_THREADLINE = Symbol.for('threadline.guarded');

/**
 * Wraps telemetry code that runs on the app's own path (an event listener, a diagnostics-channel
 * subscriber, a span processor called from `span.end()`, a lazy load) so that a bug in it never
 * reaches the app, like opentelemetry-js's `safeExecuteInTheMiddle`. A failure is counted under
 * `what` and reported rate-limited by the diagnostics; then `onFailure` runs, also guarded, to
 * leave things as they would be without telemetry (for instance, attach a clean context).
 *
 * Made once per call site, at start: the wrapper is shared by every call. Node re-throws an
 * error from a diagnostics-channel subscriber as an `uncaughtException` on the next tick, and
 * an error from an event listener or from `span.end()` reaches the code that emitted it, so
 * every such function goes through here.
 */
export function guard<This, Args extends unknown[]>(
  diagnostics: Diagnostics,
  what: string,
  fn: (this: This, ...args: Args) => void,
  onFailure?: (this: This, ...args: Args) => void,
): Guarded<This, Args> {
  const key = `${what} failed`;
  type TwoArguments = (this: This, first?: unknown, second?: unknown) => void;
  const call = fn as unknown as TwoArguments;
  const recover = onFailure as unknown as TwoArguments | undefined;
  const guarded = function (this: This, first?: unknown, second?: unknown): void {
    try {
      call.call(this, first, second);
    } catch (error) {
      diagnostics.suppressed(key, error);
      if (!recover) return;
      try {
        recover.call(this, first, second);
      } catch (recoveryError) {
        diagnostics.suppressed(key, recoveryError);
      }
    }
  };
  Object.defineProperty(guarded, GUARDED_BY_THREADLINE, { value: what });
  return guarded as unknown as Guarded<This, Args>;
}

/**
 * Runs `load` (a lazy `require` of an SDK part or an instrumentation) and returns what it
 * returns, or `undefined` after counting and reporting the failure under `what`.
 */
export function guardedLoad<T>(diagnostics: Diagnostics, what: string, load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    diagnostics.suppressed(`${what} failed`, error);
    return undefined;
  }
}
