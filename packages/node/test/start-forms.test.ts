import type { ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, runApp } from './helpers/run-app';
import { OTLP_TRANSPORTS, transportEnv, useReceiver } from './helpers/receiver';

describe.each(OTLP_TRANSPORTS)('the three ways to start, over OTLP/%s', (transport) => {
  const receiver = useReceiver(transport);

  const expectResource = (span: ReceivedSpan, serviceName: string): void => {
    expect(span.resource).toMatchObject({
      'service.name': serviceName,
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'host.name': expect.any(String),
      'host.arch': expect.any(String),
      'os.type': expect.any(String),
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'telemetry.sdk.language': 'nodejs',
      'telemetry.distro.name': 'threadline',
    });
    expect(span.resource['service.instance.id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof span.resource['process.pid']).toBe('number');
  };

  it.each([
    ['--import (ESM)', ['--import', '@threadline/node/register', 'span.mjs'], 'esm'],
    ['--require (CommonJS)', ['--require', '@threadline/node/register', 'span.cjs'], 'cjs'],
  ])('%s exports a span with the service resource and exits on its own', async (_name, args, moduleKind) => {
    const result = await runApp(args, {
      ...transportEnv(transport),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'orders',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging',
    });
    expect(result.code).toBe(0);
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const traceId = result.stdout.trim();
    const spans = await receiver.waitForSpans((received) => received.some((span) => span.traceId === traceId));
    const span = spans.find((candidate) => candidate.traceId === traceId)!;
    expect(span.name).toBe('fixture-work');
    expect(span.attributes['fixture.module']).toBe(moduleKind);
    expectResource(span, 'orders');
  });

  it.each([
    ['require (CommonJS)', 'start.cjs', 'cjs-start'],
    ['import (ESM)', 'start.mjs', 'esm-start'],
  ])('start() via %s exports, and its handle reports ok for flush and shutdown', async (_name, file, moduleKind) => {
    const options = { serviceName: 'orders-code', deploymentEnvironment: 'staging', endpoint: receiver.url, protocol: transport === 'grpc' ? 'grpc' : undefined };
    const result = await runApp([file, JSON.stringify(options)], { OTEL_SERVICE_NAME: 'loses-to-code' });
    expect(result.code).toBe(0);
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const outcome = JSON.parse(result.stdout) as Record<string, { status: string }>;
    expect(outcome.flushed?.status).toBe('ok');
    expect(outcome.shutdown?.status).toBe('ok');
    if (outcome.again) expect(outcome.again).toEqual(outcome.shutdown);
    const [span] = receiver.spans();
    expect(span?.attributes['fixture.module']).toBe(moduleKind);
    expectResource(span!, 'orders-code');
  });

  const encodings: [string, string, string, boolean][] =
    transport === 'grpc'
      ? [
          ['grpc', 'none', 'protobuf', false],
          ['grpc', 'gzip', 'protobuf', true],
        ]
      : [
          ['http/protobuf', 'none', 'protobuf', false],
          ['http/protobuf', 'gzip', 'protobuf', true],
          ['http/json', 'none', 'json', false],
          ['http/json', 'gzip', 'json', true],
        ];
  it.each(encodings)('exports with protocol %s and compression %s, with the configured headers', async (protocol, compression, contentType, gzip) => {
    const result = await runApp(['--require', '@threadline/node/register', 'span.cjs'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_EXPORTER_OTLP_COMPRESSION: compression,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=acme,authorization=Bearer%20t0ken',
    });
    expect(result.code).toBe(0);
    const [request] = await receiver.waitForRequests(1);
    const path = transport === 'grpc' ? '/opentelemetry.proto.collector.trace.v1.TraceService/Export' : '/v1/traces';
    expect(request).toMatchObject({ signal: 'traces', path, contentType, gzip });
    expect(request?.headers['x-tenant']).toBe('acme');
    expect(request?.headers.authorization).toBe('Bearer t0ken');
    expect(receiver.errors).toEqual([]);
    expect(receiver.spans().map((span) => span.traceId)).toEqual([result.stdout.trim()]);
  });

  it('exports spans, log records and metrics, each to its own OTLP service', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'exporters-app.cjs'], {
      ...transportEnv(transport),
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    expect(result.code).toBe(0);
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const traceId = /^trace ([0-9a-f]{32})$/m.exec(result.stderr)?.[1];
    await receiver.waitForSpans((spans) => spans.some((span) => span.traceId === traceId && span.name === 'exported-work'));
    expect(receiver.logRecords().map((record) => record.body)).toContain('fixture.logged');
    expect(receiver.metrics().find((metric) => metric.name === 'fixture.runs')?.dataPoints).toEqual([expect.objectContaining({ asDouble: 1 })]);
    const paths = new Set(receiver.requests.map((request) => request.path));
    expect(paths).toEqual(
      new Set(
        transport === 'grpc'
          ? ['trace.v1.TraceService', 'logs.v1.LogsService', 'metrics.v1.MetricsService'].map((service) => `/opentelemetry.proto.collector.${service}/Export`)
          : ['/v1/traces', '/v1/logs', '/v1/metrics'],
      ),
    );
    expect(receiver.errors).toEqual([]);
  });

  it('uses a per-signal traces endpoint as-is', async () => {
    const result = await runApp(['--require', '@threadline/node/register', 'span.cjs'], {
      ...transportEnv(transport),
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: transport === 'grpc' ? receiver.url : `${receiver.url}/v1/traces`,
    });
    expect(result.code).toBe(0);
    await receiver.waitForSpans((spans) => spans.length === 1);
  });
});
