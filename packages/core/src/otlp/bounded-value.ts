import type { FieldRedactor } from '../redact-fields';
import { NO_FIELD_REDACTION, REDACTED_VALUE } from '../redact-fields';
import { isDbError, sanitizeDbErrorFields, sanitizeDbErrorMessage } from '../sanitize-db-error';
import { rememberDbErrorMessage, sanitizeSeenDbErrors } from '../seen-db-errors';

/**
 * Limits on one log record's values on their way to OTLP. Whatever a caller logs (cyclic,
 * deep, huge, class instances, getters that throw), the copy made here is a plain, acyclic tree
 * of bounded size, built in time proportional to those bounds, never to the input.
 */
export interface ValueLimits {
  /** Nesting below the record's own fields; a deeper object or array becomes `[Object]`/`[Array]`. */
  maxDepth: number;
  /** Characters per string (and bytes per binary value). */
  maxStringLength: number;
  /** Entries read from one object, array, Map or Set; the rest are dropped. */
  maxEntries: number;
  /** Characters of keys and strings in the whole record (body included); past it, values are dropped. */
  maxRecordLength: number;
}

export const DEFAULT_VALUE_LIMITS: ValueLimits = {
  maxDepth: 8,
  maxStringLength: 4096,
  maxEntries: 128,
  maxRecordLength: 64 * 1024,
};

/** What a bounded copy changed: values cut or dropped by a limit, and values masked. */
export interface BoundStats {
  cut: number;
  redacted: number;
}

const PRIMITIVE_COST = 8;

/** `text` cut to at most `length` characters, never between the two halves of a surrogate pair. */
export function cutString(text: string, length: number): string {
  if (text.length <= length) return text;
  let end = Math.max(0, length);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end);
}

/**
 * Makes bounded copies for one record: all values copied through one instance share the
 * record's length budget and its stats.
 */
export class ValueBounder {
  readonly stats: BoundStats = { cut: 0, redacted: 0 };
  private remaining: number;
  private readonly ancestors: object[] = [];
  /** Messages of the database errors sanitized so far, as they were. */
  private readonly dbErrorMessages: string[] = [];

  constructor(
    private readonly limits: ValueLimits = DEFAULT_VALUE_LIMITS,
    private readonly redactor: FieldRedactor = NO_FIELD_REDACTION,
  ) {
    this.remaining = limits.maxRecordLength;
  }

  /** A string within the per-string limit and what is left of the record's budget. */
  string(text: string, maxLength = this.limits.maxStringLength): string {
    const cut = cutString(text, Math.min(maxLength, Math.max(0, this.remaining)));
    if (cut.length < text.length) this.stats.cut++;
    this.remaining -= cut.length;
    return cut;
  }

  /**
   * The own enumerable fields of `source` as a new plain object: names that look like secrets
   * masked, database errors sanitized, each value bounded. `depth` is the object's own depth.
   */
  fields(source: object, depth = 0, sanitizeDb = true): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let entries = 0;
    try {
      for (const key in source) {
        if (!Object.prototype.hasOwnProperty.call(source, key) || key === '__proto__') continue;
        if (entries >= this.limits.maxEntries || this.remaining <= 0) {
          // The rest of the object counts as one cut: counting it would cost what the limit saves.
          this.stats.cut++;
          break;
        }
        entries++;
        this.remaining -= key.length;
        if (this.redactor.isSecret(key)) {
          this.stats.redacted++;
          out[key] = REDACTED_VALUE;
          continue;
        }
        const value = this.value(this.read(source, key), depth + 1);
        if (value !== undefined) out[key] = value;
      }
    } catch {
      // A proxy whose traps throw: keep what was read.
      this.stats.cut++;
    }
    if (sanitizeDb) this.sanitizeIfDbError(out);
    return out;
  }

  /**
   * A log message, after the record's fields: where it quotes the message of a database error
   * among them (pino's `log.error(err)` does), or of one seen earlier (`log.error(err.message)`),
   * that quote is sanitized too.
   */
  body(text: string): string {
    let body = sanitizeSeenDbErrors(text);
    // Counted as masked: a logger that writes the line itself (pino) writes the masked one.
    if (body !== text) this.stats.redacted++;
    for (const message of this.dbErrorMessages) {
      if (body.includes(message)) body = body.split(message).join(sanitizeDbErrorMessage(message));
    }
    return this.string(body, this.limits.maxRecordLength);
  }

  private sanitizeIfDbError(fields: Record<string, unknown>): void {
    if (!isDbError(fields)) return;
    if (typeof fields.message === 'string' && fields.message.length > 0) {
      this.dbErrorMessages.push(fields.message);
      rememberDbErrorMessage(fields.message);
    }
    sanitizeDbErrorFields(fields);
    this.stats.redacted++;
  }

  /** A bounded copy of any value; `undefined` for what a log record leaves out (functions). */
  value(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
      case 'boolean':
        this.remaining -= PRIMITIVE_COST;
        return value;
      case 'bigint':
        this.remaining -= PRIMITIVE_COST;
        return value >= -(2n ** 63n) && value < 2n ** 63n ? value : value.toString();
      case 'symbol':
        return this.string(value.toString());
      case 'object':
        return value === null ? null : this.object(value, depth);
      default:
        return undefined;
    }
  }

  private object(value: object, depth: number): unknown {
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      const kept = Math.min(bytes.length, this.limits.maxStringLength, Math.max(0, this.remaining));
      if (kept < bytes.length) this.stats.cut++;
      this.remaining -= kept;
      return bytes.subarray(0, kept);
    }
    if (value instanceof Date) return this.string(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
    if (depth > this.limits.maxDepth) {
      this.stats.cut++;
      return Array.isArray(value) ? '[Array]' : '[Object]';
    }
    if (this.ancestors.includes(value)) {
      this.stats.cut++;
      return '[Circular]';
    }
    this.ancestors.push(value);
    try {
      if (value instanceof Error) return this.error(value, depth);
      if (Array.isArray(value)) return this.items(value, depth);
      if (value instanceof Map) return this.mapEntries(value, depth);
      if (value instanceof Set) return this.items(value, depth);
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        const json: unknown = toJSON.call(value);
        return json === value ? this.fields(value, depth) : this.value(json, depth);
      }
      return this.fields(value, depth);
    } catch {
      this.stats.cut++;
      return '[unreadable]';
    } finally {
      this.ancestors.pop();
    }
  }

  /** An Error as its type, message and stack, then its own fields (`code`, `errno`, `cause`...). */
  private error(error: Error, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: this.value(this.read(error, 'name'), depth + 1),
      message: this.value(this.read(error, 'message'), depth + 1),
      stack: this.value(this.read(error, 'stack'), depth + 1),
    };
    const own = this.fields(error, depth, false);
    const cause = this.read(error, 'cause');
    if (cause !== undefined && !('cause' in own)) own.cause = this.value(cause, depth + 1);
    Object.assign(out, own);
    this.sanitizeIfDbError(out);
    return out;
  }

  private items(iterable: Iterable<unknown>, depth: number): unknown[] {
    const out: unknown[] = [];
    for (const item of iterable) {
      if (out.length >= this.limits.maxEntries || this.remaining <= 0) {
        this.stats.cut++;
        break;
      }
      const value = this.value(item, depth + 1);
      out.push(value === undefined ? null : value);
    }
    return out;
  }

  private mapEntries(map: Map<unknown, unknown>, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let entries = 0;
    for (const [rawKey, rawValue] of map) {
      if (entries >= this.limits.maxEntries || this.remaining <= 0) {
        this.stats.cut++;
        break;
      }
      entries++;
      const key = this.string(typeof rawKey === 'string' ? rawKey : String(rawKey), 256);
      if (this.redactor.isSecret(key)) {
        this.stats.redacted++;
        out[key] = REDACTED_VALUE;
        continue;
      }
      const value = this.value(rawValue, depth + 1);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }

  /** `source[key]`, or a marker when reading it throws (a getter, a proxy). */
  private read(source: object, key: string): unknown {
    try {
      return (source as Record<string, unknown>)[key];
    } catch {
      this.stats.cut++;
      return '[unreadable]';
    }
  }
}
