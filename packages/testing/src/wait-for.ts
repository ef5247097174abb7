/** Polls `check` until it returns a value, or rejects after `timeoutMillis` with `describe()`. */
export function waitFor<T>(check: () => T | undefined, timeoutMillis: number, describe: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMillis;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out after ${timeoutMillis} ms; ${describe()}`));
      setTimeout(poll, 20);
    };
    poll();
  });
}
