import { resolveConfig } from '../../src/config/resolve-config';

describe('where each setting came from', () => {
  it('names code options, environment variables (by name) and defaults; a per-signal value inherits its fallback\'s source', () => {
    const { sources, values } = resolveConfig({ serviceName: 'orders' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_SAMPLER_ARG: '0.25' });
    expect(sources.serviceName).toEqual({ from: 'option' });
    expect(sources.protocol).toEqual({ from: 'environment', variable: 'OTEL_EXPORTER_OTLP_PROTOCOL' });
    expect(sources.tracesProtocol).toEqual({ from: 'environment', variable: 'OTEL_EXPORTER_OTLP_PROTOCOL' });
    expect(sources.samplerArg).toEqual({ from: 'environment', variable: 'OTEL_TRACES_SAMPLER_ARG' });
    expect(sources.sampler).toEqual({ from: 'default' });
    expect(values.samplerArg).toBe(0.25);
  });

  it('a value that does not parse falls back, and the source says so', () => {
    const { sources, warnings } = resolveConfig({}, { OTEL_TRACES_SAMPLER_ARG: 'half' });
    expect(sources.samplerArg).toEqual({ from: 'default' });
    expect(warnings).toHaveLength(1);
  });

  it('THREADLINE_DOCTOR takes 1 and 0 as well as true and false', () => {
    expect(resolveConfig({}, { THREADLINE_DOCTOR: '1' }).config.doctor.enabled).toBe(true);
    expect(resolveConfig({}, { THREADLINE_DOCTOR: 'TRUE' }).config.doctor.enabled).toBe(true);
    expect(resolveConfig({}, { THREADLINE_DOCTOR: '0' }).config.doctor.enabled).toBe(false);
    const bad = resolveConfig({}, { THREADLINE_DOCTOR: 'yes' });
    expect(bad.config.doctor.enabled).toBe(false);
    expect(bad.warnings[0]).toContain('THREADLINE_DOCTOR="yes" is invalid');
  });
});
