import { diagnosticLines, runApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

const REGISTER = ['--require', '@threadline/node/register', 'span.cjs'];

describe('configuration from the environment', () => {
  const receiver = useReceiver();

  it.each([
    ['OTEL_EXPORTER_OTLP_TIMEOUT', 'abc'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-1'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuff'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'zip'],
    ['OTEL_TRACES_SAMPLER', 'always-on'],
    ['OTEL_SDK_DISABLED', 'no'],
    ['OTEL_BSP_SCHEDULE_DELAY', 'soon'],
    ['OTEL_PROPAGATORS', 'w3c'],
  ])('starts with exactly one warning for %s=%s and still exports', async (name, value) => {
    const result = await runApp(REGISTER, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, [name]: value });
    expect(result.code).toBe(0);
    const lines = diagnosticLines(result.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^threadline warn: /);
    expect(lines[0]).toContain(`${name}=${JSON.stringify(value)}`);
    expect(lines[0]).toMatch(/using .+/);
    await receiver.waitForSpans((spans) => spans.some((span) => span.traceId === result.stdout.trim()));
  });

  it('does not disable the SDK for OTEL_SDK_DISABLED=false', async () => {
    const result = await runApp(REGISTER, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'false' });
    expect(diagnosticLines(result.stderr)).toEqual([]);
    await receiver.waitForSpans((spans) => spans.length === 1);
  });

  it('exports nothing and leaves the app running normally for OTEL_SDK_DISABLED=TRUE', async () => {
    const result = await runApp(REGISTER, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SDK_DISABLED: 'TRUE' });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('0'.repeat(32));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toEqual([]);
  });

  it('samples nothing with OTEL_TRACES_SAMPLER=always_off', async () => {
    const result = await runApp(REGISTER, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER: 'always_off' });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f]{32}$/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.spans()).toEqual([]);
  });
});
