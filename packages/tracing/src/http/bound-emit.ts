import { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, ContextManager } from '@opentelemetry/api';

/** The context a served request's and response's events run in, when one is set. */
export const BOUND_CONTEXT = Symbol('threadline.http.bound-context');
type Emitter = { emit(event: string | symbol, ...args: unknown[]): boolean; [BOUND_CONTEXT]?: Context };

/**
 * Under AsyncContextFrame a request's `data`/`end` events (and the response's `finish`/`close`)
 * come from the socket and run in the socket's context, not the request's. Binding each
 * request's emitters the way `contextManager.bind` does writes eight wrapper functions onto two
 * objects per request, which costs more than the request's own span and gives every request
 * object a different shape. Instead `emit` is wrapped once on both prototypes: an object that
 * carries a bound context emits inside it; any other (a client's response, say) pays one
 * property read. Returns the function that puts the prototypes back.
 */
export function emitInBoundContext(contextManager: ContextManager): () => void {
  const restores = [IncomingMessage.prototype, ServerResponse.prototype].map((prototype) => wrapEmit(prototype as unknown as Emitter, contextManager));
  return () => restores.forEach((restore) => restore());
}

function wrapEmit(prototype: Emitter, contextManager: ContextManager): () => void {
  const original = prototype.emit;
  // Declared on the prototype, so reading it on an object that never had one set is a fast miss.
  prototype[BOUND_CONTEXT] = undefined;
  prototype.emit = function emit(this: Emitter, ...args: [string | symbol, ...unknown[]]): boolean {
    const bound = this[BOUND_CONTEXT];
    if (bound === undefined) return original.apply(this, args);
    return contextManager.with(bound, applyEmit, undefined, original, this, args);
  };
  return () => {
    prototype.emit = original;
    delete prototype[BOUND_CONTEXT];
  };
}

function applyEmit(original: Emitter['emit'], target: Emitter, args: [string | symbol, ...unknown[]]): boolean {
  return original.apply(target, args);
}
