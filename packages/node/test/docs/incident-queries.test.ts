import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedLogRecord, ReceivedSpan } from '@threadline/testing';
import { OtlpReceiver } from '@threadline/testing';
import { cleanEnvironment } from './block-runner';
import type { CodeBlock } from './markdown-blocks';
import { REPOSITORY, readBlocks } from './markdown-blocks';
import { lokiName } from './query-names';

// The queries of docs/debugging-in-production.md, run against the demo's incident: the seed the
// doc works through, its telemetry forwarded by the viewer to a receiver. Each query line must
// find something: the viewer's answers it, the others are matched against the spans and log
// records that arrived. (Their names are checked against a Prometheus scrape in code-blocks.test.ts.)

const DOC = 'docs/debugging-in-production.md';
const SEED = 7;
const SPAN_STATUS_ERROR = 2;
const queries = (language: string): CodeBlock[] => readBlocks(DOC).filter((block) => block.check?.kind === 'query' && (block.check.options.lang ?? block.language) === language);
const lines = (block: CodeBlock): string[] => block.text.split('\n').map((line) => line.trim()).filter(Boolean);

describe('the queries of the incident method, on the demo incident', () => {
  const receiver = new OtlpReceiver();
  let demo: ChildProcess;
  let viewer = '';
  let requestId = '';
  let spans: ReceivedSpan[] = [];
  let records: ReceivedLogRecord[] = [];
  // A request ID in a query stands for "a failing request's": use one from this run.
  const withRunIds = (query: string): string => query.replace(/\b[0-9a-f]{32}\b/g, requestId);

  beforeAll(async () => {
    await receiver.start();
    const report = join(mkdtempSync(join(tmpdir(), 'docs-incident-')), 'report.json');
    demo = spawn(process.execPath, ['examples/incident/run.mjs', '--seed', String(SEED), '--duration', '20', '--otlp-port', '0', '--ui-port', '0', '--report', report], {
      cwd: REPOSITORY,
      env: cleanEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    demo.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the demo did not finish: ${stdout}`)), 150_000);
      demo.stdout!.on('data', () => {
        if (!stdout.includes('press Ctrl-C to end')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    viewer = /The viewer stays up at (http:\/\/\S+)/.exec(stdout)![1]!;
    const found = (JSON.parse(readFileSync(report, 'utf8')) as { found: { traceId: string } }).found;
    const trace = (await (await fetch(`${viewer}/api/traces/${found.traceId}`)).json()) as { summary: { requestId: string } };
    requestId = trace.summary.requestId;
    spans = receiver.spans();
    records = receiver.logRecords();
  }, 180_000);

  afterAll(async () => {
    if (demo?.pid) process.kill(-demo.pid, 'SIGINT');
    await receiver.stop();
  });

  it('the demo planted what the doc works through, and its telemetry arrived', () => {
    expect(readFileSync(join(REPOSITORY, DOC), 'utf8')).toContain(`pnpm demo --seed ${SEED}`);
    expect(spans.some((span) => span.resource['service.name'] === 'orders' && span.resource['service.version'] === '2.4.0' && span.status.code === SPAN_STATUS_ERROR)).toBe(true);
    expect(records.some((record) => record.body === 'order.save.failed')).toBe(true);
  });

  it('each viewer query finds log records (or none, where the doc says a query refutes)', async () => {
    const all = queries('viewer').flatMap((block) => lines(block).map((query) => ({ query, wanted: block.check!.options.expect !== 'none' })));
    expect(all.filter(({ wanted }) => wanted).length).toBeGreaterThan(1);
    expect(all.filter(({ wanted }) => !wanted).length).toBeGreaterThan(0);
    for (const { query, wanted } of all) {
      const answer = (await (await fetch(`${viewer}/api/logs?q=${encodeURIComponent(withRunIds(query))}`)).json()) as { total: number };
      expect({ query, found: answer.total > 0 }).toEqual({ query, found: wanted });
    }
  });

  it('each TraceQL query matches spans', () => {
    const all = queries('traceql').flatMap(lines);
    expect(all.length).toBeGreaterThan(1);
    for (const query of all.map(withRunIds)) {
      const conditions = [...query.matchAll(/\b(span|resource)\.([\w.-]+?)\s*=\s*"([^"]*)"/g)];
      const wantsError = /\bstatus\s*=\s*error\b/.test(query);
      const matched = spans.filter(
        (span) =>
          (!wantsError || span.status.code === SPAN_STATUS_ERROR) &&
          conditions.every(([, scope, name, value]) => String((scope === 'span' ? span.attributes : span.resource)[name!]) === value),
      );
      expect({ query, matched: matched.length > 0 }).toEqual({ query, matched: true });
      // `| by(a, b)`: every attribute it groups by is on the matching spans.
      for (const group of query.matchAll(/\|\s*by\(([^)]*)\)/g)) {
        for (const key of group[1]!.split(',').map((name) => name.trim())) {
          const [scope, ...rest] = key.split('.');
          expect({ query, key, present: matched.some((span) => rest.join('.') in (scope === 'span' ? span.attributes : span.resource)) }).toEqual({ query, key, present: true });
        }
      }
    }
  });

  /** A log record's value for a field of a JSON log line (what an Elasticsearch-style store indexes). */
  const field = (record: ReceivedLogRecord, name: string): unknown => {
    if (name === 'level') return record.severityText.toLowerCase();
    if (name === 'service') return record.resource['service.name'];
    if (name === 'event') return record.body;
    if (name === 'request_id') return record.attributes['request.id'];
    if (name === 'trace_id') return record.traceId;
    if (name.startsWith('feature_flags.')) return record.attributes[`feature_flag.${name.slice('feature_flags.'.length)}`];
    return record.attributes[name];
  };

  it('each field query matches log records', () => {
    const all = queries('es').flatMap(lines);
    expect(all.length).toBeGreaterThan(3);
    for (const query of all.map(withRunIds)) {
      const terms = [...query.matchAll(/(NOT\s+|-)?([\w.-]+):("[^"]*"|\S+)/g)].map(([, negated, name, value]) => ({ negated: Boolean(negated), name: name!, value: value!.replace(/^"|"$/g, '') }));
      const matches = records.filter((record) => terms.every(({ negated, name, value }) => (String(field(record, name)) === value) !== negated));
      expect({ query, matched: matches.length > 0 }).toEqual({ query, matched: true });
    }
  });

  it('each LogQL query matches log records as Loki stores them from OTLP', () => {
    const all = queries('logql').flatMap(lines);
    expect(all.length).toBeGreaterThan(1);
    const label = (record: ReceivedLogRecord, name: string): unknown => {
      if (name === 'severity_text') return record.severityText;
      const resource = Object.keys(record.resource).find((key) => lokiName(key) === name);
      if (resource) return record.resource[resource];
      const attribute = Object.keys(record.attributes).find((key) => lokiName(key) === name);
      return attribute === undefined ? undefined : record.attributes[attribute];
    };
    for (const query of all.map(withRunIds)) {
      const conditions = [...query.matchAll(/(\w+)\s*(=~|=)\s*"([^"]*)"/g)].map(([, name, operator, value]) => ({ name: name!, operator, value: value! }));
      const contains = [...query.matchAll(/\|=\s*"([^"]*)"/g)].map((match) => match[1]!);
      const matches = records.filter(
        (record) =>
          conditions.every(({ name, operator, value }) => {
            const actual = label(record, name);
            return actual !== undefined && (operator === '=~' ? new RegExp(`^(?:${value})$`).test(String(actual)) : String(actual) === value);
          }) && contains.every((text) => String(record.body).includes(text)),
      );
      expect({ query, matched: matches.length > 0 }).toEqual({ query, matched: true });
    }
  });
});
