import { Agent, request } from 'node:http';
import { useReceiver } from './helpers/receiver';
import { diagnosticLines, startApp } from './helpers/run-app';

const REQUESTS = 300;
// Threadline adds these to every response by design; everything else must be unchanged.
const ADDED_HEADERS = new Set(['x-request-id', 'date']);

interface Answer {
  status: number;
  headers: string;
  body: Buffer;
}

/** `REQUESTS` GETs over 8 keep-alive connections, all at once; every other one carries `x-fault: 1`. */
async function load(port: number): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const one = (index: number): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers = index % 2 === 1 ? { 'x-fault': '1' } : {};
      const sent = request({ host: '127.0.0.1', port, path: `/items/${index}`, agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const kept = Object.entries(response.headers).filter(([name]) => !ADDED_HEADERS.has(name));
          resolve({ status: response.statusCode ?? 0, headers: JSON.stringify(kept), body: Buffer.concat(chunks) });
        });
      });
      sent.on('error', reject);
      sent.end();
    });
  try {
    return await Promise.all(Array.from({ length: REQUESTS }, (_, index) => one(index)));
  } finally {
    agent.destroy();
  }
}

async function stats(port: number): Promise<{ faulted: number; inSpan: number }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/stats', agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(JSON.parse(body) as { faulted: number; inSpan: number }));
    })
      .on('error', reject)
      .end();
  });
}

describe('fault injection: a throwing point inside Threadline never reaches the app', () => {
  const receiver = useReceiver();
  let uninstrumented: Answer[];

  beforeAll(async () => {
    const app = startApp(['fault-app.cjs']);
    uninstrumented = await load(await app.waitForPort());
    app.child.kill('SIGTERM');
    await app.exited;
  });

  // The diagnostics key each fault is counted under, and how many times it fires at least.
  it.each([
    ['request-start', 'http server instrumentation failed', REQUESTS / 2],
    ['response-close', 'http server instrumentation failed', REQUESTS],
    ['span-start', 'span processor PendingWorkCounter failed', REQUESTS],
    ['span-end', 'span processor OtlpProtobufSpanProcessor failed', REQUESTS],
    ['metrics-subscriber', 'HTTP duration metrics failed', REQUESTS],
    ['metrics-load', 'loading the metrics SDK failed', 1],
    ['instrumentation-load', 'could not load a database instrumentation', 1],
  ])('%s: responses unchanged byte for byte, no uncaught error, the fault counted', async (fault, key, atLeast) => {
    const app = startApp(
      ['--unhandled-rejections=strict', '--require', './inject-fault.cjs', '--require', '@threadline/node/register', 'fault-app.cjs'],
      { FAULT: fault, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, LOAD_PG: fault === 'instrumentation-load' ? '1' : '0' },
    );
    const port = await app.waitForPort();
    const answers = await load(port);
    const seen = await stats(port);
    app.child.kill('SIGTERM');
    const result = await app.exited;

    expect(answers).toHaveLength(uninstrumented.length);
    answers.forEach((answer, index) => {
      const expected = uninstrumented[index]!;
      expect(answer.status).toBe(expected.status);
      expect(answer.headers).toBe(expected.headers);
      expect(answer.body.equals(expected.body)).toBe(true);
    });
    // Still alive after the load (an uncaught error under --unhandled-rejections=strict would
    // have ended it), then ended by Threadline's own SIGTERM handling.
    expect(result.signal).toBe('SIGTERM');
    expect(result.stderr).not.toMatch(/Uncaught|UnhandledPromiseRejection|injected fault in \S+\n\s+at /);
    expect(seen.faulted).toBe(REQUESTS / 2);
    // A request whose start failed ran in a clean context, not in the previous request's span
    // on the same keep-alive connection; with any other fault, its span was active.
    expect(seen.inSpan).toBe(fault === 'request-start' ? 0 : REQUESTS / 2);

    // The fault fired: it was reported, and counted as often as it fired.
    const lines = diagnosticLines(result.stderr);
    expect(lines).toContainEqual(`threadline warn: ${key}: injected fault in ${fault}`);
    if (atLeast > 1) {
      const counted = lines.map((line) => new RegExp(`^threadline warn: ${key}: (\\d+) times since start`).exec(line)).find(Boolean);
      expect(Number(counted?.[1])).toBeGreaterThanOrEqual(atLeast);
    }
  });
});
