import { activeCorrelationFields } from './correlation-fields';
import type { LogPolicy } from './log-policy';
import { defaultLogPolicy } from './log-policy';
import { CORRELATED_BY_FACTORY, ownPinoOptions } from './own-loggers';
import type { PinoLineFormat } from './pino-line';
import { CORRELATION_KEYS, PINO_OWN_KEYS, parsePinoLine } from './pino-line';
import { levelFromPino } from './severity';
import type { LogFields, LogLevelName, LogSink } from './types';

type PinoFactory = ((...args: unknown[]) => unknown) & Record<string, unknown>;
type LogMethodHook = (this: unknown, args: unknown[], method: (...args: unknown[]) => unknown, level: number) => unknown;
type StreamWriteHook = (line: string) => string;

interface PinoOptions {
  mixin?: (mergeObject: object, level: number, logger: unknown) => object;
  mixinMergeStrategy?: (mergeObject: object, mixinObject: object) => object;
  hooks?: { logMethod?: LogMethodHook; streamWrite?: StreamWriteHook };
  messageKey?: string;
  [key: string]: unknown;
}

/** What our mixin hands our merge strategy: the app's mixin result and the correlation fields. */
interface MixinParts {
  user: object | undefined;
  correlation: Readonly<LogFields>;
}

/**
 * Wraps the app's `pino()` so every logger it makes writes the correlation fields (winning
 * over the call's own fields) and sends each line, as pino serialized it, to the log pipeline.
 * The app's own mixin, merge strategy and hooks still run; the object a call was given is never
 * written to; a log call never throws. Loggers Threadline creates itself are left as they are.
 */
export function wrapPino(original: PinoFactory, sink: LogSink | undefined, policy: LogPolicy = defaultLogPolicy()): PinoFactory {
  const own = ownPinoOptions();
  const threadlinePino = function (this: unknown, ...args: unknown[]): unknown {
    const [first] = args;
    const hasOptions = typeof first === 'object' && first !== null && typeof (first as { write?: unknown }).write !== 'function';
    if (hasOptions && own.has(first as object)) return original.apply(this, args);
    const options: PinoOptions = hasOptions ? { ...(first as PinoOptions) } : {};
    const rest = hasOptions ? args.slice(1) : args;
    const userMixin = options.mixin;
    options.mixin = (mergeObject, level, logger): MixinParts => ({
      user: userMixin ? userMixin(mergeObject, level, logger) : undefined,
      correlation: activeCorrelationFields(),
    });
    options.mixinMergeStrategy = correlatingMerge(options.mixinMergeStrategy);
    options.hooks = { ...options.hooks, ...exportingHooks(options, sink, policy) };
    const logger = original.call(this, options, ...rest) as Record<symbol, unknown>;
    // Its children inherit the mark: the in-place injection (pino-in-place.ts) leaves them alone.
    if (logger && typeof logger === 'object') logger[CORRELATED_BY_FACTORY] = true;
    return logger;
  } as PinoFactory;
  Object.assign(threadlinePino, original);
  threadlinePino.default = threadlinePino;
  threadlinePino.pino = threadlinePino;
  return threadlinePino;
}

/**
 * The app's merge (pino's default: the call's fields over the mixin's), then the correlation
 * fields over both, always into a new object: the caller's may be frozen, or theirs to keep.
 */
function correlatingMerge(userMerge: PinoOptions['mixinMergeStrategy']) {
  return (mergeObject: object, mixinObject: object): object => {
    const { user, correlation } = mixinObject as MixinParts;
    if (!userMerge && user === undefined && isEmpty(correlation)) return mergeObject;
    let merged = userMerge ? userMerge(mergeObject, user ?? {}) : Object.assign({}, user, mergeObject);
    if (merged === mergeObject || !Object.isExtensible(merged)) merged = { ...merged };
    return Object.assign(merged, correlation);
  };
}

function isEmpty(fields: Readonly<LogFields>): boolean {
  for (const _key in fields) return false;
  return true;
}

/**
 * `logMethod` guards the call (an app hook, a throwing getter, a failing serializer: the
 * caller's line is lost, reported once, and nothing reaches the caller) and notes the level;
 * `streamWrite` turns the serialized line into the OTLP record, masking it first if needed.
 */
function exportingHooks(options: PinoOptions, sink: LogSink | undefined, policy: LogPolicy) {
  const userLogMethod = options.hooks?.logMethod;
  const userStreamWrite = options.hooks?.streamWrite;
  const format: PinoLineFormat = { messageKey: options.messageKey ?? 'msg', omit: new Set([...PINO_OWN_KEYS, ...CORRELATION_KEYS]) };
  let level: LogLevelName | undefined;
  const logMethod: LogMethodHook = function (this: unknown, args, method, numericLevel) {
    const outer = level;
    level = levelFromPino(numericLevel);
    try {
      return userLogMethod ? userLogMethod.call(this, args, method, numericLevel) : method.apply(this, args);
    } catch (error) {
      policy.onError(error);
      return undefined;
    } finally {
      level = outer;
    }
  };
  const streamWrite: StreamWriteHook = (serialized) => {
    const line = userStreamWrite ? userStreamWrite(serialized) : serialized;
    if (typeof line !== 'string') return line;
    try {
      const parsed = parsePinoLine(line, level, format, policy, activeCorrelationFields());
      if (!parsed) return line;
      sink?.emit(parsed.record);
      return parsed.maskedLine ?? line;
    } catch (error) {
      policy.onError(error);
      return line;
    }
  };
  return { logMethod, streamWrite };
}
