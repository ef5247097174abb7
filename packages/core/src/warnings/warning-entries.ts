import type { WarningEntry } from './warning-catalog';

/**
 * Every message Threadline prints, in the words it prints them. Ordered from the most specific
 * to the most general: `findWarning` takes the first that matches.
 */
export const WARNINGS: readonly WarningEntry[] = [
  // Configuration
  {
    id: 'invalid-option',
    message: 'option <name>=<value> is invalid (expected <what>); ignoring it',
    cause: 'A value passed to `start()` does not parse (a string where a number is expected, an unknown enum value).',
    fix: 'Correct the option; until then the environment variable, or the default, is used.',
  },
  {
    id: 'invalid-variable',
    message: '<VARIABLE>=<value> is invalid (expected <what>); using <fallback>',
    cause: 'An `OTEL_*` or `THREADLINE_*` variable does not parse (`OTEL_TRACES_SAMPLER_ARG=half`, `OTEL_SDK_DISABLED=yes`).',
    fix: 'Correct the variable; docs/configuration.md lists what each one accepts. The value named after "using" is in force meanwhile.',
  },
  {
    id: 'invalid-sampling-rule',
    message: 'sampling rule <rule> is invalid (expected [METHOD ]/path-or-route=ratio from 0 to 1, or *=ratio); ignoring it',
    cause: 'One member of `THREADLINE_SAMPLING_RULES` is not `[METHOD ]pattern=ratio`.',
    fix: 'Correct the rule (see docs/sampling.md); the other rules still apply.',
  },
  {
    id: 'start-twice',
    message: 'start() was called more than once; keeping the first configuration',
    cause: 'Threadline was started twice: `start()` in code and `--import`/`--require @threadline/node/register`, or two `start()` calls.',
    fix: 'Start it once. To hand bundled modules over after `--import`, call `instrumentModules()` instead of `start()`.',
  },
  {
    id: 'start-failed',
    message: 'could not start; telemetry is off for this process: <error>',
    cause: 'Building the providers threw (a broken install, an incompatible `@opentelemetry/api`). The app runs on without telemetry.',
    fix: 'Run `npx threadline doctor -- node app.js` to see duplicate API copies and the resolved configuration; reinstall if a package is missing.',
  },
  {
    id: 'optional-package-missing',
    message: '<exporter> needs <package>, which is not installed (npm install <package>@<version>); nothing is exported that way until it is',
    cause: 'The configuration asks for OTLP/gRPC or the Zipkin exporter, whose packages are optional peer dependencies.',
    fix: 'Install the package named, at the version named, or choose `http/protobuf` (the default).',
  },
  // Start order
  {
    id: 'loaded-before-start',
    message: '<package> was loaded before Threadline started: its <calls> will not be traced; start Threadline first',
    cause: 'The client was required before `start()` ran, so its load could not be hooked. In an ES module app, static `import`s run before the code that calls `start()`.',
    fix: 'Start Threadline before anything else: `node --import @threadline/node/register app.mjs` (ESM) or `node --require @threadline/node/register app.js`, or `start()` on the first line of the entry file (CommonJS).',
  },
  {
    id: 'logger-loaded-before-start',
    message: '<package> was loaded before Threadline started: its log lines will not carry trace and request IDs; start Threadline first',
    cause: 'pino or winston was required before `start()` ran, so Threadline could not add correlation to its loggers.',
    fix: 'Start Threadline first (see `loaded-before-start`), or hand the logger over with `instrumentModules({ pino })` before creating loggers.',
  },
  {
    id: 'context-manager-registered',
    message: 'another context manager was registered before Threadline started; keeping it',
    cause: 'Another OpenTelemetry SDK (or a second copy of Threadline with another `@opentelemetry/api`) registered a context manager first.',
    fix: 'Run one telemetry SDK per process; `threadline doctor` lists duplicate `@opentelemetry/*` copies.',
  },
  {
    id: 'propagator-registered',
    message: 'another propagator was registered before Threadline started; keeping it',
    cause: 'Another OpenTelemetry SDK registered a propagator first; Threadline\'s request-ID baggage may not be propagated.',
    fix: 'Run one telemetry SDK per process.',
  },
  {
    id: 'tracer-provider-registered',
    message: 'another tracer provider was registered before Threadline started; spans created through @opentelemetry/api go to it, not to Threadline',
    cause: 'Another OpenTelemetry SDK (`@opentelemetry/sdk-node`, a vendor agent) was started before Threadline.',
    fix: 'Remove the other SDK, or start Threadline alone; `threadline doctor` shows the copies of the SDK it finds.',
  },
  {
    id: 'meter-provider-registered',
    message: 'another meter provider was registered before Threadline started; metrics created through @opentelemetry/api go to it',
    cause: 'Another OpenTelemetry SDK registered a meter provider first.',
    fix: 'Run one telemetry SDK per process.',
  },
  // Bundled apps
  {
    id: 'bundled-app',
    message: 'this app is bundled (<bundler>): <packages> <is> not instrumented if bundled into it: keep them external or pass them to start({ modules }); see docs/bundling.md',
    cause: 'A bundler copied the clients into the bundle, where `require` never reaches Node\'s module loader, so the load hooks cannot see them.',
    fix: 'Use `@threadline/esbuild-plugin` (or the webpack plugin) to keep them external, or pass their exports to `start({ modules: { pg, pino } })`.',
  },
  {
    id: 'module-refused',
    message: 'could not instrument the <name> given to start({ modules }): <reason>',
    cause: 'What was handed to `start({ modules })` is not the package Threadline expects under that name (a named import instead of the whole module, an unsupported version).',
    fix: 'Pass the module\'s whole exports (`import * as pg from "pg"` / `require("pg")`), or keep the package external.',
  },
  // Client versions
  {
    id: 'amqplib-unsupported',
    message: 'this amqplib version has no Channel class where Threadline expects it: RabbitMQ messages will not be traced',
    cause: 'The installed amqplib is laid out differently from the versions Threadline supports.',
    fix: 'Use a supported amqplib version (docs/instrumentations.md).',
  },
  {
    id: 'nats-unsupported',
    message: 'this nats version does not have the classes Threadline expects: NATS messages will not be traced',
    cause: 'The installed nats client is laid out differently from the versions Threadline supports.',
    fix: 'Use a supported nats version (docs/instrumentations.md).',
  },
  {
    id: 'mqtt-unsupported',
    message: 'this mqtt version has no MqttClient class where Threadline expects it: MQTT messages will not be traced',
    cause: 'The installed mqtt client is laid out differently from the versions Threadline supports.',
    fix: 'Use a supported mqtt version (docs/instrumentations.md).',
  },
  {
    id: 'bullmq-unsupported',
    message: 'this bullmq version has no Queue or Worker class where Threadline expects it: jobs will not be traced',
    cause: 'The installed bullmq is laid out differently from the versions Threadline supports.',
    fix: 'Use a supported bullmq version (docs/instrumentations.md).',
  },
  {
    id: 'zipkin-unavailable',
    message: 'the zipkin exporter could not be loaded from <package>; spans are not sent to Zipkin: <error>',
    cause: 'The Zipkin exporter is taken from `@opentelemetry/sdk-node`, which failed to load.',
    fix: 'Install `@opentelemetry/sdk-node` (or `@opentelemetry/exporter-zipkin`) at the version the message names.',
  },
  {
    id: 'prometheus-listen',
    message: 'the Prometheus endpoint could not listen on <host>:<port> (<error>); metrics are not served there',
    cause: 'The port of the `prometheus` metrics exporter is taken, or the host is not an address of this machine.',
    fix: 'Set `OTEL_EXPORTER_PROMETHEUS_PORT` to a free port (or `0`), or `OTEL_EXPORTER_PROMETHEUS_HOST` to a local address.',
  },
  // Export and exit
  {
    id: 'lost-at-exit',
    message: 'the process exited before <what> could be sent (within <ms> ms); they are lost',
    cause: 'The process ended (`process.exit()`, a crash) and the collector did not take what was left within the shutdown deadline.',
    fix: 'Check the endpoint with `threadline doctor`; raise `THREADLINE_SHUTDOWN_TIMEOUT` if the collector is slow; let SIGTERM end the process instead of `process.exit()`.',
  },
  {
    id: 'flush-timeout',
    message: '<step> did not finish within <ms> ms; telemetry may be lost',
    cause: 'A flush or shutdown on SIGTERM, SIGINT or exit ran past `THREADLINE_SHUTDOWN_TIMEOUT`: the collector is slow or does not answer.',
    fix: 'Check the endpoint with `threadline doctor`; raise `THREADLINE_SHUTDOWN_TIMEOUT` if the collector is only slow.',
  },
  {
    id: 'export-queue-full',
    message: '<signal> export queue full: <detail>',
    cause: 'More spans or log records were made than the exporter could send: the collector is slow or down, or the queue is too small for the load.',
    fix: 'Check the endpoint with `threadline doctor`; raise `OTEL_BSP_MAX_QUEUE_SIZE`, `OTEL_BLRP_MAX_QUEUE_SIZE` or `THREADLINE_EXPORT_QUEUE_MAX_BYTES`, or sample less.',
  },
  {
    id: 'encoding-failed',
    message: '<signal> encoding failed: <error>',
    cause: 'A span or log record could not be encoded to OTLP protobuf; it was dropped.',
    fix: 'Report it with the message: a value of an unusual type reached an attribute.',
  },
  {
    id: 'export-failed',
    message: 'telemetry export failed: <error>',
    cause: 'The collector refused or did not answer an export (connection refused, timeout, HTTP 4xx/5xx). Repeats are counted and said once a minute.',
    fix: 'Run `npx threadline doctor -- node app.js`: it probes each signal\'s endpoint and names a refused port, wrong protocol or rejected credentials.',
  },
  {
    id: 'log-export-unavailable',
    message: 'could not start OTLP log export: <error>',
    cause: 'The OTLP log exporter could not be built; log lines still go to stdout.',
    fix: 'Check the logs endpoint and protocol (`OTEL_EXPORTER_OTLP_LOGS_*`) with `threadline doctor`.',
  },
  {
    id: 'opentelemetry-diagnostic',
    message: 'opentelemetry: <message>',
    cause: 'OpenTelemetry\'s own diagnostic logger reported an error or warning (a duplicate registration, an instrumentation that could not patch).',
    fix: 'Read the message; `OTEL_LOG_LEVEL=debug` shows more.',
  },
  {
    id: 'prometheus-collection',
    message: 'Prometheus <collection>: <error>',
    cause: 'A scrape of the Prometheus endpoint failed, or one instrument could not be collected.',
    fix: 'Report it with the message; the other metrics are still served.',
  },
  // A Threadline hook that failed; the app's call went on as without Threadline.
  {
    id: 'logger-correlation-failed',
    message: 'could not add correlation to a logger: <error>',
    cause: 'The pino or winston module the app loaded is not laid out as Threadline expects.',
    fix: 'Use a supported logger version (docs/instrumentations.md).',
  },
  {
    id: 'log-call-failed',
    message: 'a log call failed inside Threadline: <error>',
    cause: 'Threadline\'s part of a log call threw (a value whose getter throws); the line was still written.',
    fix: 'None needed; report it if it repeats.',
  },
  {
    id: 'instrumentation-load-failed',
    message: 'could not <load an instrumentation>: <error>',
    cause: 'An instrumentation could not be loaded or applied when the app first loaded its client or framework.',
    fix: 'Run `threadline doctor` to see which module was not patched and its version; use a supported version.',
  },
  {
    id: 'instrumentation-failed',
    message: '<client> instrumentation failed: <error>',
    cause: 'Threadline\'s wrapper of a message client threw; the call went on untraced.',
    fix: 'Report it with the message and the client\'s version.',
  },
  {
    id: 'step-failed',
    message: '<step> failed: <error>',
    cause: 'A step of Threadline failed and was contained: a listener or diagnostics-channel subscriber that threw, a lazy load, a flush before exit. Repeats are counted and said once a minute.',
    fix: 'The message names the step. For a flush, check the endpoint with `threadline doctor`; otherwise report it with the message.',
  },
];
