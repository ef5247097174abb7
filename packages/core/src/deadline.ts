import type { LifecycleResult } from './types';
import { describeError } from './diagnostics';

/**
 * Runs `task` with a deadline and reports how it ended; never rejects. `0` means no limit,
 * as for every OpenTelemetry timeout. The timer is unref'd unless `keepAlive` is set
 * (a signal handler must stay alive until its flush ends or the deadline passes).
 */
export async function runWithDeadline(
  task: () => Promise<unknown>,
  timeoutMillis: number,
  keepAlive = false,
): Promise<LifecycleResult> {
  const startedAt = Date.now();
  const elapsed = (): number => Date.now() - startedAt;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<LifecycleResult>((resolve) => {
    if (timeoutMillis <= 0) return;
    timer = setTimeout(() => resolve({ status: 'timeout', durationMillis: elapsed() }), timeoutMillis);
    if (!keepAlive) timer.unref();
  });
  const work = Promise.resolve()
    .then(task)
    .then(
      (): LifecycleResult => ({ status: 'ok', durationMillis: elapsed() }),
      (error: unknown): LifecycleResult => ({ status: 'failed', durationMillis: elapsed(), error: describeError(error) }),
    );
  try {
    return await Promise.race([work, deadline]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
