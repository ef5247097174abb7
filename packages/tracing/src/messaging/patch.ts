import type { Diagnostics } from '@threadline/core';
import { isThenable } from '@threadline/core';

const ORIGINAL = Symbol.for('threadline.messaging.original');
type Patched = ((...args: unknown[]) => unknown) & { [ORIGINAL]?: (...args: unknown[]) => unknown };

/**
 * Replaces `target[name]` with `wrap(original)`, once: a second patch of the same method (a
 * second start, a CommonJS and an ESM copy) keeps the first. Returns the function that restores it.
 */
export function patchMethod(
  target: object,
  name: string,
  wrap: (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown,
): () => void {
  const holder = target as Record<string, Patched | undefined>;
  const original = holder[name];
  if (typeof original !== 'function' || original[ORIGINAL]) return () => {};
  const patched: Patched = wrap(original);
  patched[ORIGINAL] = original;
  holder[name] = patched;
  return () => {
    if (holder[name] === patched) holder[name] = original;
  };
}

/**
 * Runs Threadline's part of a patched call; if it fails, the call goes on as without
 * Threadline (the failure is reported, rate-limited).
 */
export function attempt<T>(diagnostics: Diagnostics, what: string, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    diagnostics.suppressed(`${what} instrumentation failed`, error);
    return undefined;
  }
}

/** A header value as text: AMQP and NATS headers may arrive as strings, buffers or lists. */
export function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return headerText(value[0]);
  return undefined;
}

/** The size of a message body without reading it (bodies are never captured). */
export function bodySize(body: unknown): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}

/**
 * Calls `end` when `result` settles (at once when it is not a promise), after `onValue` with
 * what it resolved to. The promise handed back settles exactly like `result`, so the app and
 * the client see the same outcome as without Threadline: a rejection stays a rejection, an
 * unhandled one stays unhandled.
 */
function endWhenSettled<T>(result: T, end: (error?: unknown) => void, onValue?: (value: unknown) => void): T {
  if (!isThenable(result)) {
    onValue?.(result);
    end();
    return result;
  }
  return result.then(
    (value) => {
      onValue?.(value);
      end();
      return value;
    },
    (error: unknown) => {
      end(error);
      throw error;
    },
  ) as T;
}

/** Runs `call` and calls `end` when it is done: at once on a throw (then rethrown), else as `endWhenSettled`. */
export function endWhenDone<T>(call: () => T, end: (error?: unknown) => void, onValue?: (value: unknown) => void): T {
  let result: T;
  try {
    result = call();
  } catch (error) {
    end(error);
    throw error;
  }
  return endWhenSettled(result, end, onValue);
}
