import type { BaggageEntry, Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { baggageEntryMetadataFromString, propagation } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { headerLines } from './trace-context-propagator';
import { forEachListMember, trimOws } from './ows';
import { decodeBaggageValue, encodeBaggageValue } from './percent-encoding';

export const BAGGAGE_HEADER = 'baggage';
/** W3C Baggage asks for at least 64 members; 180 is what OpenTelemetry's propagators keep. */
export const MAX_BAGGAGE_MEMBERS = 180;
/** W3C Baggage: at least 8192 bytes across all `baggage` header lines together. */
export const MAX_BAGGAGE_BYTES = 8192;

// key = token (RFC 9110); properties are `;`-separated, each `key` or `key=value`.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * W3C Baggage, with its limits applied across every `baggage` line together: past 180 members
 * or 8192 bytes whole members are dropped (never cut), a malformed member is dropped alone,
 * and a bad percent-encoding decodes to U+FFFD instead of throwing.
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const baggage = propagation.getBaggage(context);
    if (!baggage || isTracingSuppressed(context)) return;
    const members: string[] = [];
    let bytes = 0;
    for (const [key, entry] of baggage.getAllEntries()) {
      if (members.length >= MAX_BAGGAGE_MEMBERS) break;
      if (!TOKEN.test(key)) continue;
      const metadata = entry.metadata?.toString();
      const member = `${key}=${encodeBaggageValue(entry.value)}${metadata ? `;${metadata}` : ''}`;
      // A token key and an encoded value are ASCII: only metadata can hold wider characters.
      const added = (metadata ? Buffer.byteLength(member) : member.length) + (members.length > 0 ? 1 : 0);
      if (bytes + added > MAX_BAGGAGE_BYTES) continue;
      members.push(member);
      bytes += added;
    }
    if (members.length > 0) setter.set(carrier, BAGGAGE_HEADER, members.join(','));
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, BAGGAGE_HEADER);
    if (header === undefined) return context;
    const entries = parseBaggage(headerLines(header));
    return entries.size > 0 ? propagation.setBaggage(context, propagation.createBaggage(Object.fromEntries(entries))) : context;
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}

/** The members of every `baggage` line, within the limits; never throws. */
export function parseBaggage(lines: readonly string[]): Map<string, BaggageEntry> {
  const entries = new Map<string, BaggageEntry>();
  let bytes = 0;
  const readMember = (member: string): boolean => {
    if (entries.size >= MAX_BAGGAGE_MEMBERS) return false;
    const added = Buffer.byteLength(member) + (entries.size > 0 ? 1 : 0);
    if (bytes + added > MAX_BAGGAGE_BYTES) return true;
    const parsed = parseMember(member);
    if (!parsed) return true;
    // A key given again replaces the earlier value, as a later `setEntry` would.
    entries.set(parsed.key, parsed.entry);
    bytes += added;
    return true;
  };
  for (const line of lines) if (!forEachListMember(line, readMember)) break;
  return entries;
}

function parseMember(member: string): { key: string; entry: BaggageEntry } | undefined {
  const semicolon = member.indexOf(';');
  const pair = semicolon === -1 ? member : member.slice(0, semicolon);
  const equals = pair.indexOf('=');
  if (equals <= 0) return undefined;
  const key = trimOws(pair.slice(0, equals));
  const value = trimOws(pair.slice(equals + 1));
  if (!TOKEN.test(key) || !/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/.test(value)) return undefined;
  const entry: BaggageEntry = { value: decodeBaggageValue(value) };
  if (semicolon !== -1) entry.metadata = baggageEntryMetadataFromString(trimOws(member.slice(semicolon + 1)));
  return { key, entry };
}
