import { activeCorrelationFields, callerFields } from './correlation-fields';
import { CORRELATED_BY_FACTORY, OWN_PINO_LOGGER } from './own-loggers';
import { levelFromPino } from './severity';
import type { LogFields, LogSink } from './types';

type WriteMethod = (this: Record<symbol, unknown>, object: unknown, message: unknown, level: number) => unknown;
type PinoFactory = ((options: object, destination: object) => object) & { symbols?: Record<string, unknown> };

const PATCHED = Symbol.for('threadline.pino-write');

/**
 * Adds correlation to every logger of a pino copy without replacing the `pino` function:
 * neither an ES module's `import pino from 'pino'` (which keeps the function Node first
 * loaded) nor a bundle that hands pino over (`start({ modules: { pino } })`) would see a
 * replacement. The loggers' shared prototype is reached instead: its write method (found
 * through `pino.symbols`, pino's documented integration point) merges the correlation fields
 * over the caller's (so they always win, also over the app's mixin) and sends each record to
 * the log pipeline. Loggers made before are covered too; Threadline's own are left alone.
 * Throws when `pino` is not pino.
 */
export function correlatePinoInPlace(pino: unknown, sink: LogSink | undefined): void {
  const factory = pino as PinoFactory;
  const writeKey = factory?.symbols?.writeSym;
  const errorKeyKey = factory?.symbols?.errorKeySym;
  if (typeof factory !== 'function' || typeof writeKey !== 'symbol' || typeof errorKeyKey !== 'symbol') {
    throw new Error('pino: expected the function require("pino") returns');
  }
  const probe = factory({ level: 'silent' }, { write: () => true });
  let shared = Object.getPrototypeOf(probe) as Record<symbol, unknown> | null;
  while (shared && !Object.prototype.hasOwnProperty.call(shared, writeKey)) shared = Object.getPrototypeOf(shared) as Record<symbol, unknown> | null;
  const original = shared?.[writeKey] as (WriteMethod & { [PATCHED]?: true }) | undefined;
  if (!shared || typeof original !== 'function') throw new Error('pino: no write method on its loggers');
  if (original[PATCHED]) return;

  const correlatedWrite: WriteMethod & { [PATCHED]?: true } = function (object, message, level) {
    if (this[OWN_PINO_LOGGER] || this[CORRELATED_BY_FACTORY]) return original.call(this, object, message, level);
    const fields = activeCorrelationFields();
    const caller = object instanceof Error ? { [this[errorKeyKey] as string]: object } : ((object ?? {}) as LogFields);
    try {
      if (sink) sink.emit({ level: levelFromPino(level), body: typeof message === 'string' ? message : '', attributes: callerFields(caller) });
    } catch {
      // A hostile logged value (a getter that throws) costs its OTLP record, never the log call.
    }
    // An empty correlation (outside any request and span) leaves the caller's object untouched.
    for (const _ in fields) return original.call(this, { ...caller, ...fields }, message, level);
    return original.call(this, object, message, level);
  };
  correlatedWrite[PATCHED] = true;
  shared[writeKey] = correlatedWrite;
}
