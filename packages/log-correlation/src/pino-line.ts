import { LOG_FIELDS } from '@threadline/core';
import type { LogPolicy } from './log-policy';
import { newBounder, withCutCount } from './log-policy';
import { levelFromName, levelFromPino } from './severity';
import type { LogLevelName, LogRecordInput } from './types';

/** How to read the lines of one pino logger. */
export interface PinoLineFormat {
  messageKey: string;
  /** Keys that are not the record's attributes (level, time, pid, hostname, the correlation fields). */
  omit: ReadonlySet<string>;
}

export const PINO_OWN_KEYS: readonly string[] = ['level', 'time', 'pid', 'hostname'];
/** Fields the correlation injection wrote; OTLP carries them as the record's IDs and attributes. */
export const CORRELATION_KEYS: readonly string[] = [LOG_FIELDS.traceId, LOG_FIELDS.spanId, LOG_FIELDS.traceFlags, LOG_FIELDS.requestId, LOG_FIELDS.featureFlags];

export interface ParsedPinoLine {
  record: LogRecordInput;
  /** The line to write instead, when a masked name or a database error was found in it. */
  maskedLine: string | undefined;
}

/**
 * The OTLP record of a line as pino serialized it (its serializers, `redact`, formatters and
 * child bindings applied), bounded and with secret-looking names masked. `undefined` for a
 * line that is not one JSON object.
 */
export function parsePinoLine(
  line: string,
  level: LogLevelName | undefined,
  format: PinoLineFormat,
  policy: LogPolicy,
  alsoOmit: Readonly<Record<string, unknown>>,
  appendedMembers = '',
): ParsedPinoLine | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const fields = parsed as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  for (const key in fields) {
    if (key === format.messageKey || format.omit.has(key) || key in alsoOmit) continue;
    rest[key] = fields[key];
  }
  const bounder = newBounder(policy);
  const attributes = bounder.fields(rest);
  const message = fields[format.messageKey];
  const body = bounder.body(typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message));
  const record = { level: level ?? levelOf(fields.level), body, attributes: withCutCount(attributes, bounder) };
  return { record, maskedLine: bounder.stats.redacted > 0 ? maskLine(fields, format, policy, appendedMembers) : undefined };
}

/**
 * The whole line with the same masking, for stdout (rare: only lines that carried a secret);
 * `appendedMembers` are JSON members that go back on its end unmasked (the correlation fields).
 */
function maskLine(fields: Record<string, unknown>, format: PinoLineFormat, policy: LogPolicy, appendedMembers: string): string {
  const bounder = newBounder(policy);
  const masked = bounder.fields(fields);
  const message = fields[format.messageKey];
  if (typeof message === 'string') masked[format.messageKey] = bounder.body(message);
  const json = JSON.stringify(masked);
  if (appendedMembers === '') return `${json}\n`;
  return json === '{}' ? `{${appendedMembers.slice(1)}}\n` : `${json.slice(0, -1)}${appendedMembers}}\n`;
}

function levelOf(level: unknown): LogLevelName {
  if (typeof level === 'number') return levelFromPino(level);
  return levelFromName(String(level));
}
