import { activeCorrelationFields, callerFields } from './correlation-fields';
import { ownPinoOptions } from './own-loggers';
import { levelFromPino } from './severity';
import type { LogFields, LogSink } from './types';

type PinoFactory = ((...args: unknown[]) => unknown) & Record<string, unknown>;
type LogMethodHook = (this: unknown, args: unknown[], method: (...args: unknown[]) => unknown, level: number) => unknown;

interface PinoOptions {
  mixin?: (mergeObject: object, level: number, logger: unknown) => object;
  mixinMergeStrategy?: (mergeObject: object, mixinObject: object) => object;
  hooks?: { logMethod?: LogMethodHook };
  [key: string]: unknown;
}

/**
 * Wraps the app's `pino()` so every logger it makes writes the correlation fields (winning
 * over the call's own fields) and sends each record to the log pipeline. The app's own mixin,
 * merge strategy and logMethod hook still run. Loggers Threadline creates itself are left as
 * they are.
 */
export function wrapPino(original: PinoFactory, sink: LogSink | undefined): PinoFactory {
  const own = ownPinoOptions();
  const threadlinePino = function (this: unknown, ...args: unknown[]): unknown {
    const [first] = args;
    const hasOptions = typeof first === 'object' && first !== null && typeof (first as { write?: unknown }).write !== 'function';
    if (hasOptions && own.has(first as object)) return original.apply(this, args);
    const options: PinoOptions = hasOptions ? { ...(first as PinoOptions) } : {};
    const rest = hasOptions ? args.slice(1) : args;
    const userMixin = options.mixin;
    options.mixin = (mergeObject, level, logger) => ({ ...(userMixin ? userMixin(mergeObject, level, logger) : {}), ...activeCorrelationFields() });
    const userMerge = options.mixinMergeStrategy;
    options.mixinMergeStrategy = (mergeObject, mixinObject) => Object.assign(userMerge ? userMerge(mergeObject, {}) : mergeObject, mixinObject);
    if (sink) options.hooks = { ...options.hooks, logMethod: exportingLogMethod(options.hooks?.logMethod, sink, serializersSymbolOf(original)) };
    return original.call(this, options, ...rest);
  } as PinoFactory;
  Object.assign(threadlinePino, original);
  threadlinePino.default = threadlinePino;
  threadlinePino.pino = threadlinePino;
  return threadlinePino;
}

/** pino keeps a logger's serializers (its own and its parents') under `pino.symbols.serializersSym`. */
function serializersSymbolOf(pino: PinoFactory): symbol | undefined {
  const symbol = (pino.symbols as { serializersSym?: unknown } | undefined)?.serializersSym;
  return typeof symbol === 'symbol' ? symbol : undefined;
}

type Serializers = Record<string, unknown>;

/**
 * The fields as pino writes them: through the logger's serializers (`req`, `res`, `err`, the
 * app's own). Fastify logs its request and reply objects, whose raw form is a graph of sockets
 * and back references; the exported record carries what the log line carries.
 */
function serializeFields(fields: LogFields, serializers: Serializers | undefined): LogFields {
  if (!serializers) return fields;
  let serialized = fields;
  for (const key of Object.keys(fields)) {
    const serializer = serializers[key];
    if (typeof serializer !== 'function') continue;
    if (serialized === fields) serialized = { ...fields };
    try {
      serialized[key] = (serializer as (value: unknown) => unknown)(fields[key]) as LogFields[string];
    } catch {
      delete serialized[key];
    }
  }
  return serialized;
}

function exportingLogMethod(userHook: LogMethodHook | undefined, sink: LogSink, serializersSymbol: symbol | undefined): LogMethodHook {
  return function (this: unknown, args, method, level) {
    const [first, second] = args;
    const serializers = serializersSymbol && this ? ((this as Record<symbol, unknown>)[serializersSymbol] as Serializers | undefined) : undefined;
    const fields: LogFields = typeof first === 'object' && first !== null ? serializeFields(callerFields(first as LogFields), serializers) : {};
    const message = typeof first === 'string' ? first : typeof second === 'string' ? second : '';
    sink.emit({ level: levelFromPino(level), body: message, attributes: fields });
    return userHook ? userHook.call(this, args, method, level) : method.apply(this, args);
  };
}
