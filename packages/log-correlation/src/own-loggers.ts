/**
 * Set on the pino instances Threadline creates (their children inherit it), for the in-place
 * injection, which sees every logger of a pino copy and must leave Threadline's own alone.
 */
export const OWN_PINO_LOGGER = Symbol.for('threadline.own-pino-logger');

/**
 * Option objects of the pino instances Threadline itself creates, so the injection into the
 * app's pino (which wraps the same factory) leaves them alone. A `Symbol.for` key lets a
 * CommonJS and an ESM copy agree.
 */
const KEY = Symbol.for('threadline.own-pino-options');
type Holder = typeof globalThis & { [KEY]?: WeakSet<object> };

export function ownPinoOptions(): WeakSet<object> {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= new WeakSet());
}

/**
 * Set on loggers made through the wrapped `pino` function (require's), which correlate and
 * export through their options; the in-place injection covers the others (an ES module's
 * `import pino from 'pino'` keeps the original function, a bundle hands its own copy over).
 */
export const CORRELATED_BY_FACTORY = Symbol.for('threadline.pino-correlated-by-factory');
