import type { ReceivedLogRecord } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

const SHAPES = ['plain', 'child', 'crlf', 'nested', 'mixin', 'reused', 'secret'] as const;
const CORRELATION_NAMES = ['trace_id', 'span_id', 'trace_flags', 'request_id'];

/** How often `"name":` occurs in a raw line: a JSON parser would hide a name written twice. */
function occurrences(line: string, name: string): number {
  return line.split(`"${name}":`).length - 1;
}

describe('pino lines of every logger shape', () => {
  const receiver = useReceiver();

  it('carry each correlation field once, on stdout and in the OTLP record, whatever the logger', async () => {
    const app = startApp(['--require', '@threadline/node/register', 'pino-shapes-app.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
    });
    const port = await app.waitForPort();
    const nonces = ['a1', 'b2', 'c3'];
    const requestIds = new Map<string, string>();
    for (const nonce of nonces) {
      const answer = await fetch(`http://127.0.0.1:${port}/log/${nonce}`);
      await answer.text();
      requestIds.set(nonce, answer.headers.get('x-request-id')!);
    }
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);

    const rawLines = result.stdout.split('\n').filter((line) => line.includes('"shape line"'));
    expect(rawLines).toHaveLength(nonces.length * SHAPES.length);
    const spans = receiver.spans().filter((span) => span.name === 'GET');
    const records = receiver.logRecords().filter((record) => record.body === 'shape line');

    for (const nonce of nonces) {
      const requestId = requestIds.get(nonce)!;
      const span = spans.find((candidate) => candidate.attributes['request.id'] === requestId)!;
      expect(span).toBeDefined();
      for (const shape of SHAPES) {
        const raw = rawLines.find((line) => line.includes(`"nonce":"${nonce}"`) && line.includes(`"shape":"${shape}"`));
        expect(raw).toBeDefined();
        for (const name of CORRELATION_NAMES) expect({ shape, name, count: occurrences(raw!, name) }).toEqual({ shape, name, count: 1 });
        const line = JSON.parse(raw!) as Record<string, unknown>;
        expect({ shape, trace: line.trace_id, span: line.span_id, request: line.request_id }).toEqual({ shape, trace: span.traceId, span: span.spanId, request: requestId });
        expect(line.feature_flags).toEqual({ 'new-pricing': true });

        const record = records.find((candidate) => recordField(candidate, 'shape') === shape && recordField(candidate, 'nonce') === nonce);
        expect(record).toBeDefined();
        expect({ shape, trace: record!.traceId, span: record!.spanId, request: record!.attributes['request.id'] }).toEqual({ shape, trace: span.traceId, span: span.spanId, request: requestId });
        for (const name of CORRELATION_NAMES) expect(record!.attributes).not.toHaveProperty(name);
        expect(record!.attributes['feature_flag.new-pricing']).toBe(true);
      }
      const lineOf = (shape: string) => JSON.parse(rawLines.find((line) => line.includes(`"nonce":"${nonce}"`) && line.includes(`"shape":"${shape}"`))!) as Record<string, unknown>;
      const recordOf = (shape: string) => records.find((record) => recordField(record, 'shape') === shape && recordField(record, 'nonce') === nonce)!;
      // The request's own attributes win over the call's, on the line; the record keeps the call's.
      expect(lineOf('plain').userId).toBe(`user-${nonce}`);
      expect(lineOf('reused').userId).toBe(`user-${nonce}`);
      expect(recordOf('child').attributes.component).toBe('billing');
      expect(lineOf('child').component).toBe('billing');
      expect((lineOf('nested').payload as Record<string, unknown>).shape).toBe('nested');
      expect(lineOf('mixin').region).toBe('eu-west-1');
      expect(recordOf('mixin').attributes.region).toBe('eu-west-1');
      expect(lineOf('secret').password).toBe('[REDACTED]');
      expect(recordOf('secret').attributes.password).toBe('[REDACTED]');
    }
    expect(result.stdout).not.toContain('hunter2');
    expect(result.stdout).not.toContain('spoofed');
    expect(result.stdout).not.toContain('from-the-mixin');
    // crlf: true ends its lines with CR LF, the correlation fields inside them.
    for (const line of rawLines.filter((candidate) => candidate.includes('"shape":"crlf"'))) expect(line.endsWith('}\r')).toBe(true);
  });
});

/** A call's field in a record: at the top, or under `payload` for the `nestedKey` logger. */
function recordField(record: ReceivedLogRecord, name: string): unknown {
  const nested = record.attributes.payload as Record<string, unknown> | undefined;
  return (record.attributes as Record<string, unknown>)[name] ?? nested?.[name];
}
