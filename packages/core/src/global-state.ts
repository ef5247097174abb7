/**
 * Process-wide state behind a `Symbol.for` key, so that a CommonJS and an ESM copy of
 * Threadline (or two versions in one dependency tree) see the same started instance.
 */
const STATE_KEY = Symbol.for('threadline.global-state');

type GlobalWithState = typeof globalThis & { [STATE_KEY]?: Record<string, unknown> };

export function getGlobalState<T>(name: string): T | undefined {
  return (globalThis as GlobalWithState)[STATE_KEY]?.[name] as T | undefined;
}

export function setGlobalState<T>(name: string, value: T | undefined): void {
  const holder = globalThis as GlobalWithState;
  const state = (holder[STATE_KEY] ??= {});
  if (value === undefined) delete state[name];
  else state[name] = value;
}
