import type { Context, Tracer } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import type { Diagnostics } from '@threadline/core';
import type { ConsumedMessage, StartedProcessing } from './message-spans';
import { startProcessing } from './message-spans';
import { attempt } from './patch';

/** Makes a context the current one for the rest of the running code and what it schedules. */
export type AttachContext = (active: Context) => void;

export interface IterationHooks<M> {
  /** The message's description, or `undefined` to pass it on untraced. */
  describe(message: M): ConsumedMessage | undefined;
  /** Told of each message's span as it is handed to the loop (settlement marks it). */
  started?(message: M, processing: StartedProcessing): void;
  /** Settles when the source closes: ends the last message's span if nothing asked for the next. */
  closed?: PromiseLike<unknown> | undefined;
}

/**
 * Wraps an async iterator of messages (`for await (const m of subscription)`) so that each
 * message's loop body runs in its own consumer span, with the message's request restored.
 *
 * A library cannot hand a context to a `for await` body the usual way: the body resumes in the
 * context that was active when the loop awaited `next()`, fixed before the message is known.
 * It does read the result's `value` synchronously as it resumes, so that read attaches the
 * message's context (AsyncLocalStorage `enterWith`, through the context manager), and the next
 * `next()`, `return()` (a `break`, or an error thrown by the body) or `throw()` ends the span
 * and attaches the loop's own context again, so nothing leaks past the loop. An error the body
 * throws ends the loop before Threadline sees it: the span ends without it.
 */
export function traceIteration<M>(iterator: AsyncIterator<M>, tracer: Tracer, diagnostics: Diagnostics, attach: AttachContext, hooks: IterationHooks<M>): AsyncIterator<M> {
  const loopContext = context.active();
  let current: StartedProcessing | undefined;
  const settle = (restoreLoopContext = true): void => {
    if (!current) return;
    const ending = current;
    current = undefined;
    attempt(diagnostics, 'message iteration', () => {
      ending.finish();
      if (restoreLoopContext) attach(loopContext);
    });
  };
  // Code that takes one message by hand (`await iterator.next()`) and never asks again still
  // gets its span ended when the subscription or the pull closes (no loop to restore there).
  hooks.closed?.then(
    () => settle(false),
    () => settle(false),
  );
  const deliver = (result: IteratorResult<M>): IteratorResult<M> => {
    if (result.done) return finished(result);
    const message = result.value;
    const consumed = attempt(diagnostics, 'message iteration', () => hooks.describe(message));
    if (!consumed) return result;
    const processing = attempt(diagnostics, 'message iteration', () => startProcessing(tracer, consumed));
    if (!processing) return result;
    current = processing;
    if (hooks.started) attempt(diagnostics, 'message iteration', () => hooks.started?.(message, processing));
    let attached = false;
    return {
      done: false,
      get value() {
        if (!attached && current === processing) {
          attached = true;
          attempt(diagnostics, 'message iteration', () => attach(processing.active));
        }
        return message;
      },
    };
  };
  // The loop's end is read where the loop resumes: the loop's own context is attached there too.
  const finished = (result: IteratorResult<M>): IteratorResult<M> => ({
    get done() {
      attempt(diagnostics, 'message iteration', () => attach(loopContext));
      return true;
    },
    value: result.value,
  });
  const traced: AsyncIterator<M> & AsyncIterable<M> = {
    next: (...args: [] | [unknown]) => {
      settle();
      return iterator.next(...args).then(deliver);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  if (iterator.return) {
    const close = iterator.return.bind(iterator);
    traced.return = (value?: unknown) => {
      settle();
      return close(value as never);
    };
  }
  if (iterator.throw) {
    const fail = iterator.throw.bind(iterator);
    traced.throw = (error?: unknown) => {
      settle();
      return fail(error);
    };
  }
  return traced;
}
