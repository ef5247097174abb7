import { getGlobalState, setGlobalState } from './global-state';
import { isDbError, sanitizeDbErrorMessage, sanitizeStack } from './sanitize-db-error';

/*
 * A database error travels further than its database span: the app's handler rethrows it, the
 * framework records it on the HTTP server span, the app copies `err.message` into
 * `span.setStatus()` or a log line. Once a message is known to be a database error's (the
 * driver's error object was seen by a span or a logger), its quoted data is taken out of any
 * other text that carries it verbatim, where only the string is left to look at.
 */

/** Messages remembered, oldest dropped first: errors repeat, and only recent ones are still in flight. */
const MAX_MESSAGES = 64;
/** Characters of remembered messages in all; a message longer than this on its own is not kept. */
const MAX_TOTAL_LENGTH = 256 * 1024;

interface SeenMessages {
  /** Raw message -> sanitized message, in the order first seen. */
  messages: Map<string, string>;
  totalLength: number;
}

/** Shared through a `Symbol.for` key: the CommonJS and ESM copies of Threadline see the same errors. */
function seen(): SeenMessages {
  let state = getGlobalState<SeenMessages>('seen-db-errors');
  if (!state) {
    state = { messages: new Map(), totalLength: 0 };
    setGlobalState('seen-db-errors', state);
  }
  return state;
}

/** Remembers a database error's message; returns it sanitized. */
export function rememberDbErrorMessage(message: string): string {
  const state = seen();
  const known = state.messages.get(message);
  if (known !== undefined) return known;
  const sanitized = sanitizeDbErrorMessage(message);
  // A message without quoted data needs no later replacement.
  if (sanitized === message || message.length > MAX_TOTAL_LENGTH) return sanitized;
  state.messages.set(message, sanitized);
  state.totalLength += message.length;
  for (const [oldest] of state.messages) {
    if (state.messages.size <= MAX_MESSAGES && state.totalLength <= MAX_TOTAL_LENGTH) break;
    state.messages.delete(oldest);
    state.totalLength -= oldest.length;
  }
  return sanitized;
}

/** `text` with every remembered database error message in it replaced by its sanitized form. */
export function sanitizeSeenDbErrors(text: string): string {
  const { messages } = seen();
  if (messages.size === 0 || text.length === 0) return text;
  let result = text;
  for (const [message, sanitized] of messages) {
    if (result.includes(message)) result = result.split(message).join(sanitized);
  }
  return result;
}

/** The parts of an error that a span's `exception` event records. */
export interface RecordedError {
  name?: string;
  code?: string | number;
  message?: string;
  stack?: string;
}

/**
 * For a database driver's error (pg, mysql2), a plain copy of what a span records of it with the
 * quoted data taken out, and its message remembered; `undefined` for any other value.
 */
export function sanitizedDbError(value: unknown): RecordedError | undefined {
  if (typeof value !== 'object' || value === null || !isDbError(value)) return undefined;
  const error = value as RecordedError;
  const message = typeof error.message === 'string' ? error.message : '';
  const copy: RecordedError = { name: error.name, code: error.code, message: rememberDbErrorMessage(message) };
  if (typeof error.stack === 'string') copy.stack = message ? sanitizeStack(error.stack, message) : error.stack;
  return copy;
}
