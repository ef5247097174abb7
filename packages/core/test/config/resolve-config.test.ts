import { resolveConfig } from '../../src/config/resolve-config';

describe('resolveConfig', () => {
  it('uses the defaults of the OpenTelemetry specification when nothing is set', () => {
    const { config, warnings } = resolveConfig({}, {});
    expect(warnings).toEqual([]);
    expect(config.serviceName).toBe('unknown_service:node');
    expect(config.disabled).toBe(false);
    expect(config.traces).toEqual({
      exporters: ['otlp'],
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      protocol: 'http/protobuf',
      compression: 'none',
      timeoutMillis: 10_000,
    });
    expect(config.sampler).toBe('parentbased_always_on');
    expect(config.propagators).toEqual(['tracecontext', 'baggage']);
    expect(config.batch).toEqual({ scheduleDelayMillis: 5000, maxQueueSize: 2048, maxQueueBytes: 16 * 1024 * 1024, maxExportBatchSize: 512, exportTimeoutMillis: 30_000 });
  });

  it('takes code options over environment variables over defaults', () => {
    const env = { OTEL_SERVICE_NAME: 'from-env', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip' };
    const { config } = resolveConfig({ serviceName: 'from-code', compression: 'none' }, env);
    expect(config.serviceName).toBe('from-code');
    expect(config.traces.protocol).toBe('http/json');
    expect(config.traces.compression).toBe('none');
  });

  it('lets per-signal variables override the shared ones and uses a traces endpoint as-is', () => {
    const { config } = resolveConfig({}, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'c=3',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    expect(config.traces.url).toBe('http://collector:4318/v1/traces');
    expect(config.traces.headers).toEqual({ c: '3' });
    expect(config.traces.timeoutMillis).toBe(2000);
    expect(config.traces.protocol).toBe('http/json');
    const direct = resolveConfig({}, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://x.example/custom/path' }).config;
    expect(direct.traces.url).toBe('https://x.example/custom/path');
  });

  it('percent-decodes headers and resource attributes', () => {
    const { config } = resolveConfig({}, {
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc%3D%3D',
      OTEL_RESOURCE_ATTRIBUTES: 'team=payments,deployment.environment.name=prod,service.version=2.0.0',
    });
    expect(config.traces.headers).toEqual({ Authorization: 'Bearer abc==' });
    expect(config.deploymentEnvironment).toBe('prod');
    expect(config.serviceVersion).toBe('2.0.0');
    expect(config.resourceAttributes.team).toBe('payments');
  });

  it('names the service from OTEL_SERVICE_NAME, then resource attributes, then package.json', () => {
    expect(resolveConfig({}, { OTEL_SERVICE_NAME: 'a', OTEL_RESOURCE_ATTRIBUTES: 'service.name=b' }, { name: 'c' }).config.serviceName).toBe('a');
    expect(resolveConfig({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=b' }, { name: 'c' }).config.serviceName).toBe('b');
    const fromPackage = resolveConfig({}, {}, { name: 'c', version: '1.2.3' }).config;
    expect(fromPackage.serviceName).toBe('c');
    expect(fromPackage.serviceVersion).toBe('1.2.3');
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    ['false', false],
    ['FALSE', false],
  ])('reads OTEL_SDK_DISABLED=%s as %s', (value, expected) => {
    const { config, warnings } = resolveConfig({}, { OTEL_SDK_DISABLED: value });
    expect(config.disabled).toBe(expected);
    expect(warnings).toEqual([]);
  });

  it('treats empty variables as unset', () => {
    const { config, warnings } = resolveConfig({}, { OTEL_EXPORTER_OTLP_TIMEOUT: '', OTEL_SERVICE_NAME: '  ', OTEL_SDK_DISABLED: '' });
    expect(warnings).toEqual([]);
    expect(config.traces.timeoutMillis).toBe(10_000);
    expect(config.serviceName).toBe('unknown_service:node');
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_TIMEOUT', 'abc', 'using 10000'],
    ['OTEL_EXPORTER_OTLP_TIMEOUT', '-1', 'using 10000'],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', '1.5', 'using the value of exportTimeoutMillis'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', 'using http/protobuf'],
    ['OTEL_EXPORTER_OTLP_COMPRESSION', 'brotli', 'using none'],
    ['OTEL_TRACES_SAMPLER', 'always_onn', 'using parentbased_always_on'],
    ['OTEL_TRACES_SAMPLER_ARG', '2', 'using 1'],
    ['OTEL_SDK_DISABLED', 'yes', 'using false'],
    ['OTEL_LOG_LEVEL', 'loud', 'using info'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318', 'using http://localhost:4318'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'novalue', 'using none'],
    ['OTEL_PROPAGATORS', 'tracecontext,b4', 'using tracecontext,baggage'],
    ['OTEL_BSP_MAX_QUEUE_SIZE', '0', 'using 2048'],
  ])('warns once for %s=%s, naming the variable and the fallback', (name, value, fallback) => {
    const { warnings } = resolveConfig({}, { [name]: value });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`${name}=${JSON.stringify(value)}`);
    expect(warnings[0]).toContain(fallback);
  });

  it('warns about a bad code option and falls back to the environment', () => {
    const { config, warnings } = resolveConfig(
      { exportTimeoutMillis: -5, protocol: 'grpc' as never },
      { OTEL_EXPORTER_OTLP_TIMEOUT: '3000' },
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('option protocol="grpc"');
    expect(warnings[1]).toContain('option exportTimeoutMillis=-5');
    expect(config.traces.timeoutMillis).toBe(3000);
    expect(config.traces.protocol).toBe('http/protobuf');
  });

  it('turns trace export off with none but keeps the rest', () => {
    expect(resolveConfig({}, { OTEL_TRACES_EXPORTER: 'none' }).config.traces.exporters).toEqual([]);
    expect(resolveConfig({ tracesExporter: ['console', 'otlp'] }, {}).config.traces.exporters).toEqual(['console', 'otlp']);
  });

  it('keeps the export batch within the queue, as the specification requires', () => {
    const { config } = resolveConfig({}, { OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '512' });
    expect(config.batch.maxExportBatchSize).toBe(100);
  });
});
