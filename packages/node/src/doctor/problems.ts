import type { Problem } from './report-types';

/** A problem the doctor can name: what it means and how to fix it, for docs/troubleshooting.md. */
export interface ProblemDefinition {
  id: string;
  title: string;
  cause: string;
  fix: string;
}

export const DOCTOR_PROBLEMS = {
  'not-started': {
    title: 'Threadline did not start',
    cause: 'The command ran, but no Threadline started in it: the app neither calls `start()` nor is run with `--import`/`--require @threadline/node/register` (or it exited before reaching `start()`).',
    fix: 'Start it: `node --import @threadline/node/register app.mjs`, `node --require @threadline/node/register app.js`, or `require(\'@threadline/node\').start()` on the first line.',
  },
  disabled: {
    title: 'Telemetry is turned off',
    cause: '`OTEL_SDK_DISABLED=true` (or `start({ disabled: true })`): nothing is instrumented or exported.',
    fix: 'Unset `OTEL_SDK_DISABLED` or set it to `false`.',
  },
  'invalid-setting': {
    title: 'A setting does not parse',
    cause: 'An option or variable has a value Threadline cannot read; it fell back to the next source.',
    fix: 'Correct the value; docs/configuration.md lists what each setting accepts.',
  },
  'loaded-before-start': {
    title: 'Modules loaded before Threadline',
    cause: 'A client, framework or logger was loaded before Threadline started, so its load could not be hooked: its calls are not traced (or its log lines not correlated).',
    fix: 'Start Threadline before anything else: `node --require @threadline/node/register app.js`, or `start()` on the first line of the entry file, before any other `require`.',
  },
  'esm-without-hook': {
    title: 'An ES module app started without the import hook',
    cause: 'The entry file is an ES module and calls `start()` itself; its static `import`s are all evaluated before that line runs, so every module they load is loaded before Threadline.',
    fix: 'Start the app with `node --import @threadline/node/register app.mjs` (or put `import \'@threadline/node/register\'` in a file given to `--import`).',
  },
  'not-patched': {
    title: 'A module was loaded but not instrumented',
    cause: 'The module is loaded, but the probe found no Threadline patch or subscriber on it: an unsupported version, an ES module build that Node\'s `require` hook does not see, or a load the hooks missed.',
    fix: 'Check the version against docs/instrumentations.md; for an ES module package, hand it over with `instrumentModules({ ... })` where supported.',
  },
  'bundled-app': {
    title: 'A bundled app lost instrumentations',
    cause: 'A bundler copied these clients into the bundle, where `require` never reaches Node\'s module loader, so the load hooks cannot see them.',
    fix: 'Build with `@threadline/esbuild-plugin` (or the webpack plugin) to keep them external, or pass their exports to `start({ modules })`; see docs/bundling.md.',
  },
  'duplicate-api': {
    title: 'Two copies of @opentelemetry/api',
    cause: 'Two copies of the API are loaded; spans, context and metrics made through one are invisible to the other, which silently disables telemetry for part of the app.',
    fix: 'Keep one copy: align the versions (`npm ls @opentelemetry/api`), then `npm dedupe` (or a pnpm/yarn override).',
  },
  'duplicate-sdk': {
    title: 'Two copies of an OpenTelemetry SDK package',
    cause: 'Another OpenTelemetry SDK (a second `@opentelemetry/sdk-*` copy, or another agent) is loaded next to Threadline and may register its own providers.',
    fix: 'Run one telemetry SDK per process: remove the other SDK\'s start-up, or dedupe the packages.',
  },
  'endpoint-refused': {
    title: 'The endpoint refuses connections',
    cause: 'Nothing listens at the host and port a signal is exported to (the collector is down, or the port is wrong).',
    fix: 'Start the collector, or point `OTEL_EXPORTER_OTLP_ENDPOINT` (or the signal\'s own variable) at it: OTLP/HTTP is usually port 4318, OTLP/gRPC 4317.',
  },
  'endpoint-unreachable': {
    title: 'The endpoint cannot be reached',
    cause: 'The host name does not resolve, the connection fails, or the TLS handshake fails.',
    fix: 'Check the host name and scheme of the endpoint (`https://` needs TLS on the collector; `OTEL_EXPORTER_OTLP_CERTIFICATE` for a private CA).',
  },
  'endpoint-silent': {
    title: 'The endpoint does not answer',
    cause: 'The connection is accepted but no answer comes within the probe\'s timeout, or it is closed without one.',
    fix: 'Check that the port is the collector\'s OTLP receiver and not another service; check a proxy or firewall in between.',
  },
  'protocol-mismatch': {
    title: 'HTTP sent to a gRPC port, or gRPC to an HTTP port',
    cause: 'The port speaks the other OTLP transport: it answered an OTLP/HTTP request with HTTP/2 frames (a gRPC port), or the gRPC preface with an HTTP/1.1 status (an HTTP port).',
    fix: 'Match the protocol to the port: `OTEL_EXPORTER_OTLP_PROTOCOL=grpc` for port 4317, `http/protobuf` (the default) for port 4318; or change the endpoint\'s port.',
  },
  'endpoint-rejects': {
    title: 'The endpoint rejects exports',
    cause: 'The collector answered, but not with success: missing or wrong credentials (401/403, gRPC UNAUTHENTICATED), a wrong path (404), or a service it does not serve (gRPC UNIMPLEMENTED).',
    fix: 'Check `OTEL_EXPORTER_OTLP_HEADERS` (API key, bearer token) and the endpoint\'s path: a signal\'s own endpoint is used as-is and must end in `/v1/traces`, `/v1/metrics` or `/v1/logs`.',
  },
  'sampler-zero': {
    title: 'The sampler keeps no trace',
    cause: 'The effective sampling ratio for traces that start here is 0 (`OTEL_TRACES_SAMPLER_ARG=0`, `always_off`, `parentbased_always_off`): no span is exported unless a caller\'s trace is sampled.',
    fix: 'Set `OTEL_TRACES_SAMPLER_ARG` to the share to keep (`0.1` keeps one trace in ten), or unset the sampler variables to keep all.',
  },
} as const satisfies Record<string, Omit<ProblemDefinition, 'id'>>;

export type ProblemId = keyof typeof DOCTOR_PROBLEMS;

/** Every problem, in the order the docs list them. */
export const PROBLEM_LIST: readonly ProblemDefinition[] = Object.entries(DOCTOR_PROBLEMS).map(([id, definition]) => ({ id, ...definition }));

/** A problem found in this run: its definition's fix unless a more precise one is given. */
export function problem(id: ProblemId, message: string, fix: string = DOCTOR_PROBLEMS[id].fix): Problem {
  return { id, message, fix };
}
