import { randomBytes } from 'node:crypto';
import type { ReceivedMetric } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

// Needs PostgreSQL, MariaDB and Redis on loopback (see DEVELOPERS.md); fails, not skips, without.
const SERVER = 2;
const ERROR = 2;
type Point = { attributes: Record<string, unknown>; count?: unknown };

describe('database span names and error types', () => {
  const receiver = useReceiver();

  /** The points of the last export of db.client.operation.duration (each export is cumulative). */
  const durationPoints = (metrics: ReceivedMetric[]) =>
    (metrics.filter((metric) => metric.name === 'db.client.operation.duration').at(-1)?.dataPoints ?? []) as Point[];

  async function exercise(file: string, env: Record<string, string> = {}) {
    const suffix = randomBytes(4).toString('hex');
    const loaderFlag = file.endsWith('.mjs') ? '--import' : '--require';
    const app = startApp([loaderFlag, '@threadline/node/register', file], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
      TABLE_SUFFIX: suffix,
      ...env,
    });
    const port = await app.waitForPort(30_000);
    const answer = await fetch(`http://127.0.0.1:${port}/db`);
    const codes = (await answer.json()) as Record<string, string>;
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return { suffix, codes, spans: receiver.spans(), metrics: receiver.metrics() };
  }

  it.each(['db-names.cjs', 'db-names.mjs'])('%s: {operation} {table} names for pg, mysql2 and Redis; driver codes as error.type', async (file) => {
    const { suffix, codes, spans, metrics } = await exercise(file);
    expect(codes).toEqual({ pgDuplicate: '23505', pgForeignKey: '23503', mysqlDuplicate: 'ER_DUP_ENTRY', mysqlForeignKey: 'ER_NO_REFERENCED_ROW_2' });
    const parent = `tl_parent_${suffix}`;
    const child = `tl_child_${suffix}`;
    const request = spans.find((span) => span.kind === SERVER)!;
    const inRequest = spans.filter((span) => span.parentSpanId === request.spanId && span.attributes['db.system.name'] !== undefined);
    const described = (system: string) =>
      inRequest.filter((span) => span.attributes['db.system.name'] === system).map((span) => [span.name, span.attributes['db.operation.name'], span.attributes['db.collection.name']]);
    expect(described('postgresql')).toEqual([
      [`CREATE ${parent}`, 'CREATE', parent],
      [`CREATE ${child}`, 'CREATE', child],
      ['BEGIN', 'BEGIN', undefined],
      [`INSERT ${parent}`, 'INSERT', parent],
      [`INSERT ${parent}`, 'INSERT', parent],
      ['ROLLBACK', 'ROLLBACK', undefined],
      [`INSERT ${child}`, 'INSERT', child],
      [`SELECT ${parent}`, 'SELECT', parent],
      [`DROP ${child}`, 'DROP', child],
    ]);
    expect(described('mysql')).toEqual([
      [`CREATE ${parent}`, 'CREATE', parent],
      [`CREATE ${child}`, 'CREATE', child],
      [`INSERT ${parent}`, 'INSERT', parent],
      [`INSERT ${parent}`, 'INSERT', parent],
      [`INSERT ${child}`, 'INSERT', child],
      [`UPDATE ${parent}`, 'UPDATE', parent],
      [`DROP ${child}`, 'DROP', child],
    ]);
    expect(described('redis').sort()).toEqual([
      ['DEL', 'DEL', undefined],
      ['GET', 'GET', undefined],
      ['SET', 'SET', undefined],
    ]);

    // A failed operation's error.type is the driver's code, on the span and on the duration metric.
    const failed = inRequest.filter((span) => span.status.code === ERROR).map((span) => [span.attributes['db.system.name'], span.name, span.attributes['error.type']]);
    expect(failed).toEqual([
      ['postgresql', `INSERT ${parent}`, '23505'],
      ['postgresql', `INSERT ${child}`, '23503'],
      ['mysql', `INSERT ${parent}`, 'ER_DUP_ENTRY'],
      ['mysql', `INSERT ${child}`, 'ER_NO_REFERENCED_ROW_2'],
    ]);
    const points = durationPoints(metrics);
    const errorTypes = points.map((point) => point.attributes['error.type']).filter(Boolean);
    expect(errorTypes.sort()).toEqual(['23503', '23505', 'ER_DUP_ENTRY', 'ER_NO_REFERENCED_ROW_2']);
    expect(points.find((point) => point.attributes['db.collection.name'] === parent && point.attributes['db.operation.name'] === 'INSERT')).toBeDefined();

    // The health checks made at start, outside any request, are root spans by default.
    const roots = spans.filter((span) => span.parentSpanId === '' && span.attributes['db.system.name'] !== undefined);
    expect(roots.map((span) => [span.attributes['db.system.name'], span.name]).sort()).toEqual([
      ['mysql', 'SELECT'],
      ['postgresql', 'SELECT'],
    ]);
  });

  it('with THREADLINE_DB_ROOT_SPANS=false, queries outside a request are counted but not exported', async () => {
    const { spans, metrics } = await exercise('db-names.cjs', { THREADLINE_DB_ROOT_SPANS: 'false' });
    const request = spans.find((span) => span.kind === SERVER)!;
    const dbSpans = spans.filter((span) => span.attributes['db.system.name'] !== undefined);
    expect(dbSpans.length).toBeGreaterThan(10);
    for (const span of dbSpans) expect(span.parentSpanId).toBe(request.spanId);
    // Every operation is still measured: the two health checks are SELECTs without a table.
    const points = durationPoints(metrics);
    const bareSelects = points.filter((point) => point.attributes['db.operation.name'] === 'SELECT' && point.attributes['db.collection.name'] === undefined);
    expect(bareSelects.map((point) => [point.attributes['db.system.name'], Number(point.count)]).sort()).toEqual([
      ['mysql', 1],
      ['postgresql', 1],
    ]);
  });
});
