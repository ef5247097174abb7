import type { IncomingMessage } from 'node:http';
import { markServerError } from './server-error';

type ErrorLayerMethod = (this: unknown, error: unknown, request: IncomingMessage, ...rest: unknown[]) => unknown;
type ExpressModule = { Router?: () => { use(handler: unknown): unknown; stack?: object[] } };

const PATCHED = Symbol.for('threadline.express.patched');

/**
 * Express has no diagnostics channel: an error a handler throws, rejects with (Express 5) or
 * passes to `next(error)` travels through the router to the app's error middleware, each layer
 * of which is entered through one prototype method (`handle_error` in Express 4, the router
 * package's `handleError` in Express 5). Wrapping that method once remembers the error for the
 * server span; it runs only on the error path, so a request that succeeds pays nothing. The
 * Layer class is not exported: a throwaway router's first layer is one.
 */
export function patchExpressLayer(express: unknown): void {
  const { Router } = express as ExpressModule;
  if (typeof Router !== 'function') return;
  const router = Router();
  router.use(() => {});
  const layer = router.stack?.[0];
  if (!layer) return;
  const prototype = Object.getPrototypeOf(layer) as Record<string | symbol, unknown>;
  if (prototype[PATCHED]) return;
  const name = typeof prototype.handle_error === 'function' ? 'handle_error' : 'handleError';
  const original = prototype[name];
  if (typeof original !== 'function') return;
  prototype[name] = function (this: unknown, error: unknown, request: IncomingMessage, ...rest: unknown[]) {
    markServerError(request, error);
    return (original as ErrorLayerMethod).call(this, error, request, ...rest);
  };
  prototype[PATCHED] = true;
}

type FinalHandler = (request: IncomingMessage, response: unknown, options?: unknown) => (error?: unknown) => unknown;

/**
 * An error no middleware handled ends in `finalhandler`, which Express creates per request and
 * which sends the 500. Its replacement adds one closure per request, next to finalhandler's own,
 * so the error that produced the 500 is known; what finalhandler sends is unchanged.
 */
export function wrapFinalHandler(finalhandler: unknown): unknown {
  if (typeof finalhandler !== 'function') return finalhandler;
  const original = finalhandler as FinalHandler;
  const wrapped = function (this: unknown, request: IncomingMessage, response: unknown, options?: unknown) {
    const done = original.call(this, request, response, options);
    return function (this: unknown, error?: unknown) {
      if (error) markServerError(request, error);
      return done.call(this, error);
    };
  };
  return Object.assign(wrapped, original);
}
