import type { ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, runApp, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

// Needs PostgreSQL, MariaDB and Redis on loopback (see DEVELOPERS.md); it fails, not skips,
// when one is missing.
const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const SECRETS = ['ann@example.com', 'secret-parameter', 'secret-value', 'another-secret', 'hunter2'];

describe('database client instrumentation', () => {
  const receiver = useReceiver();

  async function exercise(file: string, env: Record<string, string> = {}): Promise<ReceivedSpan[]> {
    const loaderFlag = file.endsWith('.mjs') ? '--import' : '--require';
    const app = startApp([loaderFlag, '@threadline/node/register', file], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
    const port = await app.waitForPort();
    const answer = await fetch(`http://127.0.0.1:${port}/chain`);
    expect(await answer.text()).toBe('chained 200');
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return receiver.spans();
  }

  it.each(['db-app.cjs', 'db-app.mjs'])('%s: query spans under the request that made them, sanitized, errors recorded', async (file) => {
    const spans = await exercise(file);
    const chain = spans.find((span) => span.kind === SERVER && span.attributes['url.path'] === '/chain')!;
    const outbound = spans.find((span) => span.kind === CLIENT && span.parentSpanId === chain.spanId)!;
    const inner = spans.find((span) => span.kind === SERVER && span.attributes['url.path'] === '/db')!;
    expect(inner.parentSpanId).toBe(outbound.spanId);
    const queries = spans.filter((span) => span.attributes['db.system.name'] !== undefined);
    for (const query of queries) {
      expect(query.traceId).toBe(chain.traceId);
      expect(query.parentSpanId).toBe(inner.spanId);
      expect(query.kind).toBe(CLIENT);
    }

    const texts = (system: string) => queries.filter((span) => span.attributes['db.system.name'] === system).map((span) => span.attributes['db.query.text']);
    expect(texts('postgresql')).toEqual(['SELECT ? AS email, ? AS n', 'SELECT $1::text AS value', 'SELECT * FROM table_that_does_not_exist']);
    expect(texts('mysql')).toEqual(['SELECT ? AS email, ? AS n', 'SELECT * FROM table_that_does_not_exist']);
    expect(texts('redis').sort()).toEqual(['AUTH ?', 'GET threadline:user:2', 'SET threadline:user:2 ?', 'get threadline:user:1', 'set threadline:user:1 ?']);

    const pgSpan = queries.find((span) => span.attributes['db.system.name'] === 'postgresql')!;
    expect(pgSpan.attributes).toMatchObject({ 'db.namespace': 'test', 'db.operation.name': 'SELECT', 'server.address': '127.0.0.1', 'server.port': 5432 });
    const mysqlSpan = queries.find((span) => span.attributes['db.system.name'] === 'mysql')!;
    expect(mysqlSpan.attributes).toMatchObject({ 'db.namespace': 'test', 'db.operation.name': 'SELECT', 'server.address': '127.0.0.1', 'server.port': 3306 });
    const redisSpan = queries.find((span) => span.attributes['db.query.text'] === 'set threadline:user:1 ?')!;
    expect(redisSpan.attributes).toMatchObject({ 'db.operation.name': 'SET', 'server.address': '127.0.0.1', 'server.port': 6379 });

    const failed = queries.filter((span) => span.status.code === ERROR);
    expect(failed.map((span) => span.attributes['db.system.name']).sort()).toEqual(['mysql', 'postgresql', 'redis']);
    // The reason travels as an exception event (pg, Redis) or the status message (mysql2).
    for (const span of failed) {
      const exception = span.events.find((event) => event.name === 'exception');
      expect(String(exception?.attributes['exception.message'] ?? span.status.message)).toMatch(/42P01|doesn't exist|AUTH|password/i);
    }
    // ...and error.type is the driver's code or the Redis error's type, never _OTHER.
    expect(failed.map((span) => [span.attributes['db.system.name'], span.attributes['error.type']]).sort()).toEqual([
      ['mysql', 'ER_NO_SUCH_TABLE'],
      ['postgresql', '42P01'],
      ['redis', 'ReplyError'],
    ]);

    // No literal, parameter value, stored value or password left the process.
    const exported = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    for (const secret of SECRETS) expect(exported).not.toContain(secret);
    // Three HTTP spans and thirteen queries; no connection or pool spans.
    expect(spans).toHaveLength(3 + 10);
  });

  it('turns a database instrumentation off by name', async () => {
    const spans = await exercise('db-app.cjs', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg,redis' });
    const systems = new Set(spans.map((span) => span.attributes['db.system.name']).filter(Boolean));
    expect([...systems].sort()).toEqual(['mysql', 'redis']);
    expect(spans.filter((span) => span.scope.name.includes('instrumentation-redis'))).toEqual([]);
  });

  it('loads an instrumentation only when the app loads its client', async () => {
    const result = await runApp(['db-late.cjs'], { LOAD_ORDER: 'start-first', OTEL_TRACES_EXPORTER: 'none' });
    expect(JSON.parse(result.stdout)).toEqual({ before: false, after: true });
    expect(diagnosticLines(result.stderr)).toEqual([]);
  });

  it('says by name when a client was loaded before Threadline started', async () => {
    const result = await runApp(['db-late.cjs'], { OTEL_TRACES_EXPORTER: 'none' });
    expect(JSON.parse(result.stdout)).toEqual({ before: false, after: false });
    expect(diagnosticLines(result.stderr)).toEqual([
      'threadline warn: pg was loaded before Threadline started: its calls will not be traced; start Threadline first',
    ]);
  });
});
