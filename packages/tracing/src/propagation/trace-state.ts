import type { TraceState } from '@opentelemetry/api';

/** W3C Trace Context: a tracestate holds at most 32 list members. */
export const MAX_TRACE_STATE_MEMBERS = 32;
/** W3C Trace Context: a vendor should propagate at least 512 characters of tracestate; more is cut. */
export const MAX_TRACE_STATE_LENGTH = 512;
/** W3C Trace Context: when cutting, members longer than this go first. */
const LONG_MEMBER_LENGTH = 128;

// Level 2 grammar: key = (lcalpha / DIGIT) 0*255(lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@");
// value = 0*255(chr) nblk-chr, where chr excludes "," and "=" and nblk-chr also excludes space.
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
// Optional whitespace around the comma between list members.
const MEMBER_SEPARATOR = /[ \t]*,[ \t]*/;

export function isValidTraceStateKey(key: string): boolean {
  return KEY.test(key);
}

export function isValidTraceStateValue(value: string): boolean {
  return VALUE.test(value);
}

/**
 * An immutable tracestate: members in order, leftmost first (the most recently updated vendor).
 * `set` and `unset` return a new one and ignore keys or values the grammar rejects.
 */
export class W3CTraceState implements TraceState {
  private constructor(private readonly members: ReadonlyMap<string, string>) {}

  static empty(): W3CTraceState {
    return new W3CTraceState(new Map());
  }

  /**
   * Parses every `tracestate` header line together, as one list. Any malformed member or a
   * member count over 32 makes the whole header invalid (undefined): a receiver must not pass
   * on part of a list it could not read. A repeated key keeps its first (leftmost) value, one
   * of the two choices the specification allows.
   */
  static parse(lines: readonly string[]): W3CTraceState | undefined {
    const members = new Map<string, string>();
    for (const line of lines) {
      for (const member of line.trim().split(MEMBER_SEPARATOR)) {
        if (member === '') continue;
        const equals = member.indexOf('=');
        if (equals <= 0) return undefined;
        const key = member.slice(0, equals);
        const value = member.slice(equals + 1);
        if (!KEY.test(key) || !VALUE.test(value)) return undefined;
        if (members.has(key)) continue;
        members.set(key, value);
        if (members.size > MAX_TRACE_STATE_MEMBERS) return undefined;
      }
    }
    return new W3CTraceState(members);
  }

  get(key: string): string | undefined {
    return this.members.get(key);
  }

  get size(): number {
    return this.members.size;
  }

  set(key: string, value: string): TraceState {
    if (!KEY.test(key) || !VALUE.test(value)) return this;
    // An updated key moves to the front (W3C Trace Context 3.3.1.5).
    const members = new Map([[key, value]]);
    for (const [otherKey, otherValue] of this.members) if (otherKey !== key) members.set(otherKey, otherValue);
    while (members.size > MAX_TRACE_STATE_MEMBERS) members.delete(lastKey(members));
    return new W3CTraceState(members);
  }

  unset(key: string): TraceState {
    if (!this.members.has(key)) return this;
    const members = new Map(this.members);
    members.delete(key);
    return new W3CTraceState(members);
  }

  /**
   * The header value, cut to 512 characters by whole members only: first members longer than
   * 128 characters, then from the right (W3C Trace Context 3.3.1.5).
   */
  serialize(): string {
    const members = [...this.members].map(([key, value]) => `${key}=${value}`);
    let length = joinedLength(members);
    if (length <= MAX_TRACE_STATE_LENGTH) return members.join(',');
    for (let index = members.length - 1; index >= 0 && length > MAX_TRACE_STATE_LENGTH; index--) {
      if (members[index]!.length > LONG_MEMBER_LENGTH) length = removeAt(members, index, length);
    }
    while (members.length > 0 && length > MAX_TRACE_STATE_LENGTH) length = removeAt(members, members.length - 1, length);
    return members.join(',');
  }
}

function lastKey(members: Map<string, string>): string {
  let last = '';
  for (const key of members.keys()) last = key;
  return last;
}

function joinedLength(members: readonly string[]): number {
  let length = Math.max(0, members.length - 1);
  for (const member of members) length += member.length;
  return length;
}

function removeAt(members: string[], index: number, length: number): number {
  const [removed = ''] = members.splice(index, 1);
  return members.length === 0 ? 0 : length - removed.length - 1;
}
