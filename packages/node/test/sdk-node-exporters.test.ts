import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import { diagnosticLines, runApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

interface ZipkinSpan {
  traceId: string;
  id: string;
  name: string;
  localEndpoint?: { serviceName?: string };
}

/** A Zipkin collector's v2 API, as far as a test needs it: JSON spans posted to /api/v2/spans. */
async function startZipkinReceiver(): Promise<{ url: string; spans: ZipkinSpan[]; paths: string[]; stop: () => Promise<void> }> {
  const spans: ZipkinSpan[] = [];
  const paths: string[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      paths.push(`${request.method} ${request.url} ${request.headers['content-type']}`);
      spans.push(...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ZipkinSpan[]));
      response.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/api/v2/spans`, spans, paths, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

const traceIdOf = (stderr: string): string => /^trace ([0-9a-f]{32})$/m.exec(stderr)?.[1] ?? 'none';

describe("the exporters only sdk-node brings, and the SDK's console exporters", () => {
  const receiver = useReceiver();

  it('sends Zipkin-format spans to OTEL_EXPORTER_ZIPKIN_ENDPOINT and prints every signal with the console exporters', async () => {
    const zipkin = await startZipkinReceiver();
    try {
      const result = await runApp(['--require', '@threadline/node/register', 'exporters-app.cjs'], {
        OTEL_SERVICE_NAME: 'orders',
        OTEL_TRACES_EXPORTER: 'zipkin,console',
        OTEL_METRICS_EXPORTER: 'console',
        OTEL_LOGS_EXPORTER: 'console',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.url,
      });
      expect(result.code).toBe(0);
      expect(diagnosticLines(result.stderr)).toEqual([]);
      const traceId = traceIdOf(result.stderr);
      expect(zipkin.paths[0]).toBe('POST /api/v2/spans application/json');
      expect(zipkin.spans).toEqual([expect.objectContaining({ traceId, name: 'exported-work', localEndpoint: expect.objectContaining({ serviceName: 'orders' }) })]);
      // The console exporters' output: the span, the log record and the metric, each once.
      expect(result.stdout).toContain(`traceId: '${traceId}'`);
      expect(result.stdout).toContain("name: 'exported-work'");
      expect(result.stdout).toContain("body: 'fixture.logged'");
      expect(result.stdout).toContain("name: 'fixture.runs'");
    } finally {
      await zipkin.stop();
    }
  });

  it('warns once for a value sdk-node does not accept either, and falls back to OTLP', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'exporters-app.cjs'], {
      OTEL_TRACES_EXPORTER: 'jaeger',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    expect(result.code).toBe(0);
    const lines = diagnosticLines(result.stderr);
    expect(lines[0]).toContain('OTEL_TRACES_EXPORTER="jaeger" is invalid');
    expect(lines[0]).toContain('using otlp');
    expect(lines).toHaveLength(1);
    const traceId = traceIdOf(result.stderr);
    await receiver.waitForSpans((spans) => spans.some((span) => span.traceId === traceId && span.name === 'exported-work'));
  });
});
