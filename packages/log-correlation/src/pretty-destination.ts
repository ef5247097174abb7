import { LOG_FIELDS } from '@threadline/core';

interface Writable {
  write(chunk: string): unknown;
}

const HIDDEN = new Set<string>([LOG_FIELDS.timestamp, LOG_FIELDS.level, LOG_FIELDS.event, LOG_FIELDS.service, LOG_FIELDS.traceFlags, LOG_FIELDS.spanId]);

/**
 * A destination for terminals: `12:00:01.123 ERROR order.processing.failed orderId=42
 * (request 3f2a… trace 4bf9…)` instead of JSON. For development; JSON is what log stores want.
 */
export function createPrettyDestination(target: Writable = process.stdout): Writable {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return target.write(line);
      }
      const time = String(record[LOG_FIELDS.timestamp] ?? '').slice(11, 23);
      const level = String(record[LOG_FIELDS.level] ?? '').toUpperCase().padEnd(5);
      const fields = Object.entries(record)
        .filter(([key]) => !HIDDEN.has(key) && key !== LOG_FIELDS.requestId && key !== LOG_FIELDS.traceId)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      const ids = [
        record[LOG_FIELDS.requestId] ? `request ${String(record[LOG_FIELDS.requestId])}` : '',
        record[LOG_FIELDS.traceId] ? `trace ${String(record[LOG_FIELDS.traceId])}` : '',
      ].filter(Boolean);
      const suffix = ids.length > 0 ? ` (${ids.join(', ')})` : '';
      return target.write(`${time} ${level} ${String(record[LOG_FIELDS.event] ?? '')} ${fields.join(' ')}${suffix}\n`);
    },
  };
}
