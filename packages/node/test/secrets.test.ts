import { randomBytes } from 'node:crypto';
import { jsonLines } from './helpers/log-lines';
import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';

// Needs PostgreSQL, MariaDB and Redis on loopback (see DEVELOPERS.md).
const ERROR = 2;

describe('one redaction policy for every signal', () => {
  const receiver = useReceiver();

  it('lets no planted secret reach the receiver or stdout, while the records carrying them arrive', async () => {
    const prefix = `planted${randomBytes(6).toString('hex')}`;
    const app = startApp(['--require', '@threadline/node/register', 'secrets-app.cjs'], {
      SECRET: prefix,
      OTEL_SERVICE_NAME: 'secrets',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
    });
    const port = await app.waitForPort();
    const answer = await fetch(`http://127.0.0.1:${port}/plant?sig=${prefix}-inbound-sig`, {
      headers: { authorization: `Bearer ${prefix}-inbound-auth`, cookie: `sid=${prefix}-inbound-cookie` },
    });
    expect(await answer.text()).toBe('planted');
    await receiver.waitForSpans((spans) => spans.some((span) => span.attributes['db.system.name'] === 'redis'));
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);

    // Nowhere: not in any request the receiver decoded (every signal), not on stdout or stderr.
    const received = receiver.requests.map((request) => JSON.stringify(request.body, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)));
    expect(receiver.requests.map((request) => request.signal)).toEqual(expect.arrayContaining(['traces', 'logs', 'metrics']));
    for (const body of received) expect(body).not.toContain(prefix);
    expect(result.stdout).not.toContain(prefix);
    expect(result.stderr).not.toContain(prefix);

    // And what carried them arrived, masked.
    const spans = receiver.spans();
    const entry = spans.find((span) => span.attributes['url.path'] === '/plant')!;
    expect(entry.attributes).toMatchObject({ 'user.password': '[REDACTED]', api_key: '[REDACTED]', 'payment.credit_card': '[REDACTED]', 'order.id': 'order-7' });
    expect(entry.events.find((event) => event.name === 'login')?.attributes).toEqual({ 'auth.token': '[REDACTED]', method: 'password-less' });
    const urls = spans.map((span) => span.attributes['url.full']).filter((url): url is string => typeof url === 'string');
    expect(urls).toEqual(expect.arrayContaining([
      expect.stringMatching(/X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Security-Token=REDACTED&page=2$/),
      expect.stringMatching(/X-Goog-Signature=REDACTED&AWSAccessKeyId=REDACTED&Signature=REDACTED&sig=REDACTED$/),
    ]));
    const queries = spans.filter((span) => span.attributes['db.system.name'] !== undefined);
    const texts = queries.map((span) => span.attributes['db.query.text']);
    expect(texts).toEqual(expect.arrayContaining(['SELECT ? AS value', 'SELECT ?::int', 'SELEC ? FROM nowhere', expect.stringMatching(/^set threadline:secrets:\d+ \? \? \?$/)]));
    // (ioredis's own `CLIENT SETINFO` fails on older servers: only the SQL errors matter here.)
    const failed = queries.filter((span) => span.status.code === ERROR && span.attributes['db.system.name'] !== 'redis');
    expect(failed).toHaveLength(2);
    // The status message quotes the server's message (pg's exception event only names the code).
    const reasons = failed.map((span) => span.status.message);
    expect(reasons.sort()).toEqual([
      'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near ? at line 1',
      'invalid input syntax for type integer: ?',
    ]);

    const records = receiver.logRecords();
    const record = (body: string) => records.filter((candidate) => candidate.body === body);
    expect(record('user.login')[0]?.attributes).toMatchObject({ user: 'ann', password: '[REDACTED]', token: '[REDACTED]', client: { apiKey: '[REDACTED]' } });
    expect(record('query.failed').map((each) => each.attributes['error.message']).sort()).toEqual([
      'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near ? at line 1',
      'invalid input syntax for type integer: ?',
    ]);
    expect(record('pino login')[0]?.attributes).toMatchObject({ user: 'ann', password: '[REDACTED]', headers: { authorization: '[REDACTED]' } });
    expect(record('pino query failed')[0]?.attributes.err).toMatchObject({ code: 'ER_PARSE_ERROR', errno: 1064, sqlState: '42000', sql: 'SELEC ? FROM nowhere' });
    expect(record('invalid input syntax for type integer: ?')[0]?.attributes.err).toMatchObject({ code: '22P02', severity: 'ERROR' });
    expect(record('winston login')[0]?.attributes).toMatchObject({ service: 'billing', user: 'ann', password: '[REDACTED]', session: '[REDACTED]' });
    expect(record('winston query failed')[0]?.attributes.err).toMatchObject({ code: 'ER_PARSE_ERROR', sqlState: '42000' });

    const lines = jsonLines(result.stdout);
    const line = (predicate: (line: Record<string, unknown>) => boolean) => lines.find(predicate);
    expect(line((each) => each.event === 'user.login')).toMatchObject({ password: '[REDACTED]', client: { apiKey: '[REDACTED]' } });
    expect(line((each) => each.msg === 'pino login')).toMatchObject({ password: '[REDACTED]', headers: { authorization: '[REDACTED]' } });
    expect(line((each) => each.message === 'winston login')).toMatchObject({ service: 'billing', password: '[REDACTED]' });
    expect(line((each) => each.msg === 'pino query failed')).toMatchObject({ err: { sql: 'SELEC ? FROM nowhere' } });
  }, 60_000);
});
