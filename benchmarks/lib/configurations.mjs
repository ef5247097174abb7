/** The configurations measured side by side: process flags and environment for each. */

/** `sinkUrl`: a local OTLP sink, so that a setup that exports at exit is not timed waiting on a dead endpoint. */
export function startupConfigurations(sinkUrl) {
  const QUIET_ENDPOINT = sinkUrl;
  return {
    'plain node': { args: [], env: {} },
    'Threadline --import register': { args: ['--import', '@threadline/node/register'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: QUIET_ENDPOINT } },
    'Threadline --require register': { args: ['--require', '@threadline/node/register'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: QUIET_ENDPOINT } },
    'stock zero-code (auto-instrumentations-node/register)': {
      args: ['--require', '@opentelemetry/auto-instrumentations-node/register'],
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: QUIET_ENDPOINT, OTEL_TRACES_EXPORTER: 'otlp' },
    },
  };
}

/**
 * Load-test configurations; every instrumented one exports traces, metrics and logs to the same
 * local sink. With `floor`, two uninstrumented runs that busy-wait a fixed time per request show
 * what a known per-request cost does to the ratios on this machine.
 */
export function loadConfigurations(sinkUrl, { floor = false } = {}) {
  const exportAll = { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_SERVICE_NAME: 'bench', OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp' };
  return {
    'no instrumentation': { args: [], env: {} },
    'Threadline, 100% sampling': { args: ['--require', '@threadline/node/register'], env: exportAll },
    'Threadline, 10% sampling': { args: ['--require', '@threadline/node/register'], env: { ...exportAll, OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
    'stock zero-code': { args: ['--require', '@opentelemetry/auto-instrumentations-node/register'], env: exportAll },
    ...(floor
      ? {
          'busy-wait 5 µs per request, no telemetry': { args: [], env: { SPIN_MICROS: '5' } },
          'busy-wait 20 µs per request, no telemetry': { args: [], env: { SPIN_MICROS: '20' } },
        }
      : {}),
  };
}
