import type { ActiveCorrelation } from './correlation-fields';
import { activeCorrelation, activeCorrelationFields } from './correlation-fields';
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

type AsJson = (this: PinoInstance, object: object, message: unknown, level: number, time: string) => string;
type PinoInstance = Record<symbol, unknown>;

/** What the last appended line was, before and after the correlation members went on its end. */
interface AppendedLine {
  bare: string | undefined;
  full: string | undefined;
  members: string;
}

/**
 * Wraps the app's `pino()` so every logger it makes writes the correlation fields (winning
 * over the call's own fields) and sends each line, as pino serialized it, to the log pipeline.
 * The app's own mixin, merge strategy and hooks still run; the object a call was given is never
 * written to; a log call never throws. Loggers Threadline creates itself are left as they are.
 *
 * Where the app's options leave the merged object to pino (no mixin, merge strategy or
 * `formatters.log` of its own), the correlation fields go onto the end of the serialized line
 * as one string made once per context: given to pino as fields, the four IDs cost a line
 * 11k more instructions (measured with callgrind, pino 10) than as pre-serialized text. A call
 * whose own fields share a name with a correlation field takes the merging path, so a line
 * never carries a name twice.
 */
export function wrapPino(original: PinoFactory, sink: LogSink | undefined, policy: LogPolicy = defaultLogPolicy()): PinoFactory {
  const own = ownPinoOptions();
  const { asJsonKey, endKey } = serializerKeys(original);
  const threadlinePino = function (this: unknown, ...args: unknown[]): unknown {
    const [first] = args;
    const hasOptions = typeof first === 'object' && first !== null && typeof (first as { write?: unknown }).write !== 'function';
    if (hasOptions && own.has(first as object)) return original.apply(this, args);
    const options: PinoOptions = hasOptions ? { ...(first as PinoOptions) } : {};
    const rest = hasOptions ? args.slice(1) : args;
    const appends =
      asJsonKey !== undefined &&
      !options.mixin &&
      !options.mixinMergeStrategy &&
      typeof (options.formatters as { log?: unknown } | undefined)?.log !== 'function';
    const appended: AppendedLine | undefined = appends ? { bare: undefined, full: undefined, members: '' } : undefined;
    if (!appended) {
      const userMixin = options.mixin;
      options.mixin = (mergeObject, level, logger): MixinParts => ({
        user: userMixin ? userMixin(mergeObject, level, logger) : undefined,
        correlation: activeCorrelationFields(),
      });
      options.mixinMergeStrategy = correlatingMerge(options.mixinMergeStrategy);
    }
    options.hooks = { ...options.hooks, ...exportingHooks(options, sink, policy, appended) };
    const logger = original.call(this, options, ...rest) as PinoInstance;
    if (logger && typeof logger === 'object') {
      // Its children inherit the mark: the in-place injection (pino-in-place.ts) leaves them alone.
      logger[CORRELATED_BY_FACTORY] = true;
      // An own property of the logger, so its children (made with Object.create) inherit it too.
      if (appended) logger[asJsonKey!] = appendingSerializer(logger[asJsonKey!] as AsJson, endKey!, appended);
    }
    return logger;
  } as PinoFactory;
  Object.assign(threadlinePino, original);
  threadlinePino.default = threadlinePino;
  threadlinePino.pino = threadlinePino;
  return threadlinePino;
}

/**
 * The symbols under which this pino keeps a logger's serializer and line end (`pino.symbols`),
 * if its loggers have both as expected; otherwise the fields go through the mixin.
 */
function serializerKeys(original: PinoFactory): { asJsonKey: symbol | undefined; endKey: symbol | undefined } {
  const symbols = original.symbols as Record<string, unknown> | undefined;
  const asJsonKey = symbols?.asJsonSym;
  const endKey = symbols?.endSym;
  if (typeof asJsonKey !== 'symbol' || typeof endKey !== 'symbol') return { asJsonKey: undefined, endKey: undefined };
  try {
    const probe = original({ level: 'silent' }, { write: () => true }) as PinoInstance;
    if (typeof probe[asJsonKey] === 'function' && typeof probe[endKey] === 'string') return { asJsonKey, endKey };
  } catch {
    // Not a pino this can read: the mixin path works with any version that has mixins.
  }
  return { asJsonKey: undefined, endKey: undefined };
}

/** The call's fields with the correlation fields over them, in a new object. */
function merged(object: object, correlation: ActiveCorrelation): object {
  return Object.assign({}, object, correlation.fields);
}

/**
 * pino's serializer with the active correlation members put before the line's end. The line
 * without them is kept for `streamWrite`, which reads the record's own fields from it.
 */
function appendingSerializer(serialize: AsJson, endKey: symbol, appended: AppendedLine): AsJson {
  return function (object, message, level, time) {
    appended.full = undefined;
    const correlation = activeCorrelation();
    const members = correlation.members;
    if (members === '') return serialize.call(this, object, message, level, time);
    const end = this[endKey];
    if (typeof end !== 'string' || correlation.overlaps(object)) return serialize.call(this, merged(object, correlation), message, level, time);
    const bare = serialize.call(this, object, message, level, time);
    // A line that does not end as this logger's lines do gets its fields the merging way.
    if (typeof bare !== 'string' || !bare.endsWith(end)) return serialize.call(this, merged(object, correlation), message, level, time);
    const full = bare.slice(0, bare.length - end.length) + members + end;
    appended.bare = bare;
    appended.full = full;
    appended.members = members;
    return full;
  };
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
function exportingHooks(options: PinoOptions, sink: LogSink | undefined, policy: LogPolicy, appended: AppendedLine | undefined) {
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
      // The line as this logger appended it: its own fields are the line before the members.
      const parsed =
        appended?.full !== undefined && line === appended.full
          ? parsePinoLine(appended.bare!, level, format, policy, NO_FIELDS, appended.members)
          : parsePinoLine(line, level, format, policy, activeCorrelationFields());
      if (appended) appended.full = appended.bare = undefined;
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

const NO_FIELDS: Readonly<LogFields> = Object.freeze({});
