import { request } from 'node:http';
import { useReceiver } from './helpers/receiver';
import { startApp } from './helpers/run-app';

const NO_SCHEDULED_EXPORT = { OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_BLRP_SCHEDULE_DELAY: '600000', THREADLINE_RUNTIME_METRICS: 'false' };

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve) => {
    const sent = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
    });
    // The crash closes the connection without an answer.
    sent.on('error', () => resolve(''));
    sent.end();
  });
}

interface JsonLine {
  level?: string;
  event?: string;
  trace_id?: string;
  request_id?: string;
  'exception.message'?: string;
  'exception.stacktrace'?: string;
}

const jsonLines = (stdout: string): JsonLine[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLine);

describe('the crash path', () => {
  const receiver = useReceiver();

  const crash = async (pattern: string) => {
    const app = startApp(['--require', '@threadline/node/register', 'exit-app.cjs'], {
      ...NO_SCHEDULED_EXPORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      EXIT_PATTERN: pattern,
    });
    const port = await app.waitForPort();
    const before = JSON.parse(await get(port, '/work/1')) as { traceId: string };
    await get(port, '/crash');
    const result = await app.exited;
    const lines = jsonLines(result.stdout);
    const coming = lines.find((line) => line.event === 'crash.coming');
    const fatal = lines.filter((line) => line.level === 'fatal');
    return { result, before, coming, fatal };
  };

  it.each([
    ['an uncaught exception', 'crash', 'process.uncaught_exception', 'handler exploded'],
    ['an unhandled rejection', 'reject', 'process.unhandled_rejection', 'nobody handles this rejection'],
  ])('writes one fatal line and record for %s, with the request it happened in, then ends as Node would', async (_label, pattern, event, message) => {
    const { result, before, coming, fatal } = await crash(pattern);
    // Node's own behaviour follows: exit code 1 and the error on stderr.
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);

    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ event, 'exception.message': message });
    expect(fatal[0]?.['exception.stacktrace']).toContain('exit-app.cjs');
    // The request the error happened in, not the one before it.
    expect(coming?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(coming?.trace_id).not.toBe(before.traceId);
    expect(fatal[0]?.trace_id).toBe(coming?.trace_id);
    expect(fatal[0]?.request_id).toBe(coming?.request_id);

    // Sent within the deadline, from the exit event: the OTLP record, and the work before it.
    const record = receiver.logRecords().find((candidate) => candidate.severityText === 'FATAL');
    expect(record).toMatchObject({ body: event, traceId: coming?.trace_id });
    expect(record?.attributes['request.id']).toBe(coming?.request_id);
    expect(record?.attributes['exception.message']).toBe(message);
    expect(receiver.spans().map((span) => span.name)).toContain('work-1');
  });

  it("leaves the decision to the app's own uncaughtException handler, after recording", async () => {
    const { result, coming, fatal } = await crash('crash-handled');
    expect(result.stdout).toContain('app handled handler exploded');
    expect(result.code).toBe(3);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]?.request_id).toBe(coming?.request_id);
    expect(receiver.logRecords().filter((candidate) => candidate.severityText === 'FATAL')).toHaveLength(1);
  });
});
