import type { StoredLogRecord } from './types';

/**
 * The field query the docs teach: `level:error AND service:orders AND request_id:3f2a...`,
 * `accountType:enterprise`. Terms are joined by `AND` (or plain spaces); `NOT term` or `-term`
 * negates; a value may be quoted (`event:"order failed"`) and end in `*` to match a prefix; a
 * bare word matches the body or any field value. Field names are those of the JSON log line
 * (`trace_id`, `request_id`, `feature_flags.<key>`) or of the OTLP record (`request.id`,
 * `feature_flag.<key>`).
 */
export interface LogTerm {
  field: string | undefined;
  value: string;
  negated: boolean;
}

const TERM = /(-)?(?:([A-Za-z_][\w.@/-]*):)?(?:"((?:[^"\\]|\\.)*)"|(\S+))/y;

export function parseLogQuery(query: string): LogTerm[] {
  const terms: LogTerm[] = [];
  let negateNext = false;
  let index = 0;
  while (index < query.length) {
    while (query[index] === ' ') index++;
    if (index >= query.length) break;
    TERM.lastIndex = index;
    const match = TERM.exec(query);
    if (!match) break;
    index = TERM.lastIndex;
    const [, minus, field, quoted, plain] = match;
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (plain ?? '');
    if (!field && !quoted && (value === 'AND' || value === 'and')) continue;
    if (!field && !quoted && (value === 'NOT' || value === 'not')) {
      negateNext = true;
      continue;
    }
    terms.push({ field, value, negated: Boolean(minus) !== negateNext });
    negateNext = false;
  }
  return terms;
}

function fieldValue(record: StoredLogRecord, field: string): unknown {
  switch (field) {
    case 'level':
      return record.level;
    case 'service':
      return record.service;
    case 'service.version':
    case 'version':
      return record.version;
    case 'trace_id':
      return record.traceId;
    case 'span_id':
      return record.spanId;
    case 'request_id':
    case 'request.id':
      return record.requestId;
    case 'message':
    case 'msg':
    case 'body':
      return record.body;
    case 'event':
      return record.attributes.event ?? record.body;
    default:
      if (field.startsWith('feature_flags.')) return record.attributes[`feature_flag.${field.slice('feature_flags.'.length)}`];
      return record.attributes[field];
  }
}

function valueMatches(actual: unknown, expected: string): boolean {
  if (actual === undefined || actual === null) return false;
  const text = typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  if (expected.endsWith('*')) return text.toLowerCase().startsWith(expected.slice(0, -1).toLowerCase());
  return text.toLowerCase() === expected.toLowerCase();
}

function termMatches(record: StoredLogRecord, term: LogTerm): boolean {
  if (term.field) return valueMatches(fieldValue(record, term.field), term.value);
  const needle = term.value.replace(/\*$/, '').toLowerCase();
  if (record.body.toLowerCase().includes(needle)) return true;
  return Object.values(record.attributes).some((value) => String(value).toLowerCase().includes(needle));
}

export function matchesLogQuery(record: StoredLogRecord, terms: readonly LogTerm[]): boolean {
  return terms.every((term) => termMatches(record, term) !== term.negated);
}

export const DEFAULT_LOG_LIMIT = 200;

/** Matching records, newest first, at most `limit`; `total` counts every match. */
export function queryLogs(records: readonly StoredLogRecord[], query: string, limit = DEFAULT_LOG_LIMIT): { total: number; records: StoredLogRecord[] } {
  const terms = parseLogQuery(query);
  const found: StoredLogRecord[] = [];
  let total = 0;
  for (let index = records.length - 1; index >= 0; index--) {
    const record = records[index]!;
    if (!matchesLogQuery(record, terms)) continue;
    total++;
    if (found.length < limit) found.push(record);
  }
  return { total, records: found };
}
