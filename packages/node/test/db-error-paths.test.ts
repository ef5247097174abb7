import { randomBytes } from 'node:crypto';
import { jsonLines } from './helpers/log-lines';
import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';
import type { AppResult } from './helpers/run-app';
import type { OtlpReceiver } from '@threadline/testing';

// Needs PostgreSQL and MariaDB on loopback (see DEVELOPERS.md).
const ERROR = 2;
const PG_MESSAGE = 'invalid input syntax for type integer: ?';
const MYSQL_MESSAGE =
  'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near ? at line 1';

interface Run {
  result: AppResult;
  prefix: string;
}

/** Starts db-error-paths.cjs, requests each path in `paths`, stops it; the literals start with the returned prefix. */
async function run(receiver: OtlpReceiver, paths: string[], env: Record<string, string> = {}): Promise<Run> {
  const prefix = `quoted${randomBytes(6).toString('hex')}`;
  const app = startApp(['--require', '@threadline/node/register', 'db-error-paths.cjs'], {
    SECRET: prefix,
    OTEL_SERVICE_NAME: 'db-errors',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
    ...env,
  });
  const port = await app.waitForPort();
  for (const path of paths) await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
  await receiver.waitForSpans((spans) => spans.filter((span) => span.kind === 2).length >= paths.length);
  app.child.kill('SIGTERM');
  const result = await app.exited;
  expect(diagnosticLines(result.stderr)).toEqual([]);
  return { result, prefix };
}

/** Each request the receiver decoded, as JSON. */
const receivedBodies = (receiver: OtlpReceiver): string[] =>
  receiver.requests.map((request) => JSON.stringify(request.body, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));

/** No request the receiver decoded, and nothing the app wrote, holds a literal. */
function expectNowhere(receiver: OtlpReceiver, { result, prefix }: Run): void {
  for (const body of receivedBodies(receiver)) expect(body).not.toContain(prefix);
  expect(result.stdout).not.toContain(prefix);
  expect(result.stderr).not.toContain(prefix);
}

describe('database errors that travel past their database span', () => {
  const receiver = useReceiver();

  it.each(['express', 'fastify', 'koa', 'nest'])('keep their literals off the %s server span that records them', async (framework) => {
    const ran = await run(receiver, ['/framework/pg', '/framework/mysql'], { FRAMEWORK: framework });
    expectNowhere(receiver, ran);
    const servers = receiver.spans().filter((span) => span.kind === 2);
    expect(servers).toHaveLength(2);
    for (const [database, message] of [['pg', PG_MESSAGE], ['mysql', MYSQL_MESSAGE]] as const) {
      const server = servers.find((span) => span.attributes['url.path'] === `/framework/${database}`)!;
      // Still an error, with the server's words: only the quoted data is gone.
      expect(server.status).toEqual({ code: ERROR, message });
      const exception = server.events.find((event) => event.name === 'exception')?.attributes;
      expect(exception?.['exception.message']).toBe(message);
      expect(String(exception?.['exception.stacktrace'])).toContain(message);
    }
  }, 60_000);

  it('keep their literals off the spans and log records the app makes of them', async () => {
    const ran = await run(receiver, ['/app/pg', '/app/mysql']);
    expectNowhere(receiver, ran);
    const spans = receiver.spans();
    for (const [database, message] of [['pg', PG_MESSAGE], ['mysql', MYSQL_MESSAGE]] as const) {
      const recorded = spans.find((span) => span.name === `record ${database}`)!;
      expect(recorded.status).toEqual({ code: ERROR, message });
      expect(recorded.events.find((event) => event.name === 'exception')?.attributes['exception.message']).toBe(message);
      expect(spans.find((span) => span.name === `status ${database}`)?.status).toEqual({ code: ERROR, message: `query failed: ${message}` });
    }

    const records = receiver.logRecords();
    const bodies = records.map((record) => record.body);
    for (const message of [PG_MESSAGE, MYSQL_MESSAGE]) {
      expect(bodies).toEqual(expect.arrayContaining([`query failed: ${message}`, `pino: ${message}`, `winston: ${message}`]));
    }
    for (const body of ['query.failed', 'pino query failed', 'winston query failed']) {
      const messages = records.filter((record) => record.body === body).map((record) => JSON.stringify(record.attributes));
      expect(messages).toHaveLength(2);
      expect(messages.some((attributes) => attributes.includes(PG_MESSAGE))).toBe(true);
      expect(messages.some((attributes) => attributes.includes(MYSQL_MESSAGE.slice(0, 40)))).toBe(true);
    }
    const lines = jsonLines(ran.result.stdout);
    expect(lines.map((line) => line.msg ?? line.message ?? line.event)).toEqual(expect.arrayContaining([`pino: ${PG_MESSAGE}`, `winston: ${MYSQL_MESSAGE}`]));
  }, 60_000);

  it('keep their literals off the fatal record of a rejection nobody handled', async () => {
    const prefix = `quoted${randomBytes(6).toString('hex')}`;
    const result = await startApp(['--require', '@threadline/node/register', 'db-error-paths.cjs'], {
      SECRET: prefix,
      CRASH: '1',
      OTEL_SERVICE_NAME: 'db-errors',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    }).exited;
    expect(result.code).toBe(1);
    const fatal = receiver.logRecords().find((record) => record.body === 'process.unhandled_rejection');
    expect(fatal?.attributes).toMatchObject({ 'exception.message': PG_MESSAGE });
    expect(String(fatal?.attributes['exception.stacktrace'])).toContain(PG_MESSAGE);
    for (const body of receivedBodies(receiver)) expect(body).not.toContain(prefix);
    // Node itself prints the error on stderr as it dies; Threadline's own line is on stdout.
    expect(jsonLines(result.stdout).find((line) => line.event === 'process.unhandled_rejection')).toMatchObject({ 'exception.message': PG_MESSAGE });
    expect(result.stdout).not.toContain(prefix);
  }, 30_000);
});
