import { matchesLogQuery, parseLogQuery, queryLogs } from '../src';
import type { StoredLogRecord } from '../src';

const record = (overrides: Partial<StoredLogRecord>): StoredLogRecord => ({
  timeMillis: 0, service: 'orders', version: '2.4.0', level: 'error', body: 'order.pricing.failed',
  traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), requestId: 'req-1',
  attributes: { accountType: 'enterprise', 'feature_flag.new-pricing': true, 'request.id': 'req-1', 'error.message': 'discount missing' },
  ...overrides,
});

const matches = (query: string, overrides: Partial<StoredLogRecord> = {}): boolean => matchesLogQuery(record(overrides), parseLogQuery(query));

describe('log queries', () => {
  it('joins field terms with AND, in the names of the JSON log line', () => {
    expect(matches('level:error AND service:orders AND request_id:req-1')).toBe(true);
    expect(matches('level:error AND service:pricing')).toBe(false);
    expect(matches(`trace_id:${'a'.repeat(32)} span_id:${'b'.repeat(16)}`)).toBe(true);
    expect(matches('event:order.pricing.failed version:2.4.0')).toBe(true);
  });

  it('matches request attributes and flags under either spelling', () => {
    expect(matches('accountType:enterprise')).toBe(true);
    expect(matches('accountType:free')).toBe(false);
    expect(matches('feature_flags.new-pricing:true')).toBe(true);
    expect(matches('feature_flag.new-pricing:false')).toBe(false);
  });

  it('understands NOT and -, quotes, prefixes and bare words', () => {
    expect(matches('NOT accountType:free AND -level:info')).toBe(true);
    expect(matches('NOT level:error')).toBe(false);
    expect(matches('error.message:"discount missing"')).toBe(true);
    expect(matches('event:order.*')).toBe(true);
    expect(matches('discount')).toBe(true);
    expect(matches('refund')).toBe(false);
    expect(parseLogQuery('a:"x \\" y" AND b')).toEqual([
      { field: 'a', value: 'x " y', negated: false },
      { field: undefined, value: 'b', negated: false },
    ]);
  });

  it('returns the newest matches first, counting all of them', () => {
    const records = [1, 2, 3].map((timeMillis) => record({ timeMillis }));
    expect(queryLogs(records, 'level:error', 2)).toEqual({ total: 3, records: [records[2], records[1]] });
    expect(queryLogs(records, '', 10).total).toBe(3);
  });
});
