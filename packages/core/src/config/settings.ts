import type { Parser } from './parse';
import { DEFAULT_REDACT_KEYS } from '../redact-fields';
import {
  parseBoolean,
  parseEnum,
  parseFlag,
  parseEnumList,
  parseKeyValueList,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parseRatio,
  parseString,
  parseStringList,
  parseEndpoint,
  parsePort,
  parseUrl,
} from './parse';

/**
 * The configuration table: one row per setting, shared by `resolveConfig` and by
 * docs/configuration.md (generated from these rows, checked by a test).
 * Precedence for every row: code option > environment variable > fallback > default.
 */
export interface Setting {
  /** The `start()` option name. */
  option: string;
  /** The environment variable, if the setting has one. */
  env?: string;
  /** Another setting whose value is used when this one is not set (per-signal -> shared). */
  fallback?: string;
  /** The default when neither code, environment nor fallback sets it; `undefined` means derived. */
  defaultValue?: unknown;
  /** How the default reads in the docs. */
  defaultText: string;
  meaning: string;
  parse: Parser<unknown>;
  /** Values given in code as objects (maps) are taken as-is after a shape check. */
  isMap?: boolean;
}

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
/** OTLP/gRPC's default: the specification gives each protocol its own port. */
export const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
export const DEFAULT_PROMETHEUS_HOST = 'localhost';
export const DEFAULT_ZIPKIN_ENDPOINT = 'http://localhost:9411/api/v2/spans';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;
/** The spec leaves attribute length unlimited; an unbounded string can blow a batch past the backend's limit. */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;
/** 2048 queued spans average well under 1 KiB each; log records can be far larger. */
export const DEFAULT_EXPORT_QUEUE_MAX_BYTES = 16 * 1024 * 1024;

/** Instrumentations Threadline ships, by the names OTEL_NODE_*_INSTRUMENTATIONS use. */
export const INSTRUMENTATION_NAMES = ['http', 'undici', 'express', 'fastify', 'koa', 'hono', 'nestjs', 'pg', 'mysql2', 'ioredis', 'redis', 'pino', 'winston', 'amqplib', 'nats', 'mqtt', 'bullmq'] as const;

const protocols = parseEnum(['http/protobuf', 'http/json', 'grpc'] as const);
const compressions = parseEnum(['gzip', 'none'] as const);

/** The per-signal endpoint, headers, protocol, compression and timeout rows, falling back to the shared ones. */
function signalSettings(signal: 'traces' | 'logs' | 'metrics', items: string): Setting[] {
  const upper = signal.toUpperCase();
  return [
    { option: `${signal}Endpoint`, env: `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`, defaultText: `endpoint + \`/v1/${signal}\` (gRPC: endpoint)`, meaning: `Full URL for ${signal}, used as-is.`, parse: parseEndpoint },
    { option: `${signal}Headers`, env: `OTEL_EXPORTER_OTLP_${upper}_HEADERS`, fallback: 'headers', defaultText: '`headers`', meaning: `Headers for ${signal} exports only.`, parse: parseKeyValueList, isMap: true },
    { option: `${signal}Protocol`, env: `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`, fallback: 'protocol', defaultText: '`protocol`', meaning: `OTLP encoding for ${signal}.`, parse: protocols },
    { option: `${signal}Compression`, env: `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`, fallback: 'compression', defaultText: '`compression`', meaning: `Compression for ${signal} exports.`, parse: compressions },
    { option: `${signal}ExportTimeoutMillis`, env: `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, fallback: 'exportTimeoutMillis', defaultText: '`exportTimeoutMillis`', meaning: `Export timeout for ${items}.`, parse: parseNonNegativeInteger },
    { option: `${signal}Insecure`, env: `OTEL_EXPORTER_OTLP_${upper}_INSECURE`, fallback: 'insecure', defaultText: '`insecure`', meaning: `\`insecure\` for ${signal} exports only.`, parse: parseBoolean },
    { option: `${signal}Certificate`, env: `OTEL_EXPORTER_OTLP_${upper}_CERTIFICATE`, fallback: 'certificate', defaultText: '`certificate`', meaning: `Trusted CA file for ${signal} exports only.`, parse: parseString },
    { option: `${signal}ClientKey`, env: `OTEL_EXPORTER_OTLP_${upper}_CLIENT_KEY`, fallback: 'clientKey', defaultText: '`clientKey`', meaning: `Client private key file for ${signal} exports only.`, parse: parseString },
    { option: `${signal}ClientCertificate`, env: `OTEL_EXPORTER_OTLP_${upper}_CLIENT_CERTIFICATE`, fallback: 'clientCertificate', defaultText: '`clientCertificate`', meaning: `Client certificate file for ${signal} exports only.`, parse: parseString },
  ];
}

/** The four header-capture lists of the HTTP conventions' `OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*` variables. */
function headerCaptureSettings(): Setting[] {
  const lists = [
    ['captureServerRequestHeaders', 'SERVER_REQUEST', 'request headers of inbound requests, as `http.request.header.<name>` on server spans'],
    ['captureServerResponseHeaders', 'SERVER_RESPONSE', 'response headers sent, as `http.response.header.<name>` on server spans'],
    ['captureClientRequestHeaders', 'CLIENT_REQUEST', 'request headers of outbound requests (http and fetch), as `http.request.header.<name>` on client spans'],
    ['captureClientResponseHeaders', 'CLIENT_RESPONSE', 'response headers received (http and fetch), as `http.response.header.<name>` on client spans'],
  ] as const;
  return lists.map(([option, suffix, what]) => ({
    option,
    env: `OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_${suffix}`,
    defaultValue: [],
    defaultText: 'none',
    meaning: `Comma-separated ${what} (string arrays; sensitive ones \`REDACTED\`).`,
    parse: parseStringList,
  }));
}

export const SETTINGS: readonly Setting[] = [
  { option: 'serviceName', env: 'OTEL_SERVICE_NAME', defaultText: '`name` in the app\'s package.json, else `unknown_service:node`', meaning: 'The `service.name` resource attribute; beats `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.', parse: parseString },
  { option: 'serviceVersion', defaultText: '`version` in the app\'s package.json', meaning: 'The `service.version` resource attribute (also settable in `OTEL_RESOURCE_ATTRIBUTES`).', parse: parseString },
  { option: 'deploymentEnvironment', defaultText: 'unset', meaning: 'The `deployment.environment.name` resource attribute (also settable in `OTEL_RESOURCE_ATTRIBUTES`).', parse: parseString },
  { option: 'resourceAttributes', env: 'OTEL_RESOURCE_ATTRIBUTES', defaultValue: {}, defaultText: 'none', meaning: 'Extra resource attributes, `key=value,key2=value2` (values percent-decoded).', parse: parseKeyValueList, isMap: true },
  { option: 'resourceDetection', env: 'THREADLINE_RESOURCE_DETECTION', defaultValue: true, defaultText: '`true`', meaning: 'Read `container.id` (cgroup files), `host.id` (machine ID) and the git checkout (`vcs.*`) once at start, from local files only; see docs/resource.md.', parse: parseBoolean },
  { option: 'k8sPodName', env: 'K8S_POD_NAME', defaultText: 'unset', meaning: 'The `k8s.pod.name` resource attribute; set it from the downward API (`metadata.name`), see docs/resource.md.', parse: parseString },
  { option: 'k8sNamespaceName', env: 'K8S_NAMESPACE_NAME', defaultText: 'unset', meaning: 'The `k8s.namespace.name` resource attribute (downward API `metadata.namespace`).', parse: parseString },
  { option: 'k8sNodeName', env: 'K8S_NODE_NAME', defaultText: 'unset', meaning: 'The `k8s.node.name` resource attribute (downward API `spec.nodeName`).', parse: parseString },
  { option: 'k8sPodUid', env: 'K8S_POD_UID', defaultText: 'unset', meaning: 'The `k8s.pod.uid` resource attribute (downward API `metadata.uid`).', parse: parseString },
  { option: 'disabled', env: 'OTEL_SDK_DISABLED', defaultValue: false, defaultText: '`false`', meaning: 'Turns all telemetry off; only case-insensitive `true` disables.', parse: parseBoolean },
  { option: 'logLevel', env: 'OTEL_LOG_LEVEL', defaultValue: 'info', defaultText: '`info`', meaning: 'Threadline\'s own diagnostics on stderr: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`.', parse: parseEnum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const) },
  { option: 'endpoint', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', defaultText: `\`${DEFAULT_ENDPOINT}\`; \`${DEFAULT_GRPC_ENDPOINT}\` with \`grpc\``, meaning: 'Base URL for every signal. Over HTTP `/v1/traces` is appended for traces; over gRPC it is used as-is, and may be `host:port` (TLS unless `insecure`).', parse: parseEndpoint },
  { option: 'headers', env: 'OTEL_EXPORTER_OTLP_HEADERS', defaultValue: {}, defaultText: 'none', meaning: 'Headers sent with every export, `key=value,key2=value2`.', parse: parseKeyValueList, isMap: true },
  { option: 'protocol', env: 'OTEL_EXPORTER_OTLP_PROTOCOL', defaultValue: 'http/protobuf', defaultText: '`http/protobuf`', meaning: 'OTLP transport and encoding: `http/protobuf`, `http/json` or `grpc` (needs `@grpc/grpc-js` installed).', parse: protocols },
  { option: 'compression', env: 'OTEL_EXPORTER_OTLP_COMPRESSION', defaultValue: 'none', defaultText: '`none`', meaning: '`gzip` or `none`.', parse: compressions },
  { option: 'exportTimeoutMillis', env: 'OTEL_EXPORTER_OTLP_TIMEOUT', defaultValue: DEFAULT_EXPORT_TIMEOUT_MILLIS, defaultText: `\`${DEFAULT_EXPORT_TIMEOUT_MILLIS}\``, meaning: 'Milliseconds one export may take, retries included; `0` means no limit.', parse: parseNonNegativeInteger },
  { option: 'insecure', env: 'OTEL_EXPORTER_OTLP_INSECURE', defaultValue: false, defaultText: '`false`', meaning: 'For an endpoint given without a scheme (`collector:4317`): `true` connects without TLS. An `http://` or `https://` endpoint says it itself.', parse: parseBoolean },
  { option: 'certificate', env: 'OTEL_EXPORTER_OTLP_CERTIFICATE', defaultText: 'the system\'s CAs', meaning: 'OTLP/gRPC: PEM file of the CA(s) trusted for the collector\'s certificate (OTLP/HTTP trusts Node\'s CAs and `NODE_EXTRA_CA_CERTS`).', parse: parseString },
  { option: 'clientKey', env: 'OTEL_EXPORTER_OTLP_CLIENT_KEY', defaultText: 'none', meaning: 'OTLP/gRPC: PEM file of the client\'s private key, for mutual TLS.', parse: parseString },
  { option: 'clientCertificate', env: 'OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE', defaultText: 'none', meaning: 'OTLP/gRPC: PEM file of the client\'s certificate chain, for mutual TLS.', parse: parseString },
  ...signalSettings('traces', 'spans'),
  ...signalSettings('logs', 'log records'),
  ...signalSettings('metrics', 'metric points'),
  { option: 'tracesExporter', env: 'OTEL_TRACES_EXPORTER', defaultValue: ['otlp'], defaultText: '`otlp`', meaning: 'Comma-separated: `otlp`, `zipkin`, `console`, `none`. With `none`, spans are still created so trace context still propagates. `zipkin` needs `@opentelemetry/sdk-node` installed.', parse: parseEnumList(['otlp', 'zipkin', 'console', 'none'] as const) },
  { option: 'zipkinEndpoint', env: 'OTEL_EXPORTER_ZIPKIN_ENDPOINT', defaultValue: DEFAULT_ZIPKIN_ENDPOINT, defaultText: `\`${DEFAULT_ZIPKIN_ENDPOINT}\``, meaning: 'Where the `zipkin` traces exporter posts Zipkin v2 JSON spans.', parse: parseUrl },
  { option: 'sampler', env: 'OTEL_TRACES_SAMPLER', defaultValue: 'parentbased_always_on', defaultText: '`parentbased_always_on`', meaning: '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`.', parse: parseEnum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const) },
  { option: 'samplingRules', env: 'THREADLINE_SAMPLING_RULES', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated `[METHOD ]pattern=ratio` rules for requests that start a trace, first match wins: `/health*=0,GET /orders/:id=0.5,*=0.1`. A pattern is `*`, a path glob (`*` matches any characters) or a route template (`:name` matches one segment). See docs/sampling.md.', parse: parseStringList },
  { option: 'samplerArg', env: 'OTEL_TRACES_SAMPLER_ARG', defaultValue: 1, defaultText: '`1`', meaning: 'The ratio for the `traceidratio` samplers, 0 to 1.', parse: parseRatio },
  { option: 'propagators', env: 'OTEL_PROPAGATORS', defaultValue: ['tracecontext', 'baggage'], defaultText: '`tracecontext,baggage`', meaning: 'Comma-separated: `tracecontext`, `baggage`, `none`.', parse: parseEnumList(['tracecontext', 'baggage', 'none'] as const) },
  { option: 'batchScheduleDelayMillis', env: 'OTEL_BSP_SCHEDULE_DELAY', defaultValue: 5000, defaultText: '`5000`', meaning: 'Milliseconds between two batch exports of spans.', parse: parseNonNegativeInteger },
  { option: 'batchMaxQueueSize', env: 'OTEL_BSP_MAX_QUEUE_SIZE', defaultValue: 2048, defaultText: '`2048`', meaning: 'Spans kept waiting for export; beyond it new spans are dropped and counted.', parse: parsePositiveInteger },
  { option: 'exportQueueMaxBytes', env: 'THREADLINE_EXPORT_QUEUE_MAX_BYTES', defaultValue: DEFAULT_EXPORT_QUEUE_MAX_BYTES, defaultText: `\`${DEFAULT_EXPORT_QUEUE_MAX_BYTES}\` (16 MiB)`, meaning: 'Encoded bytes each OTLP/HTTP protobuf export queue (spans; log records) may hold, waiting or in flight; beyond it new items are dropped and counted, so a slow collector and large records cannot grow memory past it.', parse: parsePositiveInteger },
  { option: 'batchMaxExportBatchSize', env: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', defaultValue: 512, defaultText: '`512`', meaning: 'Spans in one export request (at most the queue size).', parse: parsePositiveInteger },
  { option: 'batchExportTimeoutMillis', env: 'OTEL_BSP_EXPORT_TIMEOUT', defaultValue: 30_000, defaultText: '`30000`', meaning: 'Milliseconds the batch processor waits for one export.', parse: parseNonNegativeInteger },
  { option: 'logsExporter', env: 'OTEL_LOGS_EXPORTER', defaultValue: ['otlp'], defaultText: '`otlp`', meaning: 'Comma-separated: `otlp`, `console`, `none`. Where log records go besides stdout.', parse: parseEnumList(['otlp', 'console', 'none'] as const) },
  { option: 'logBatchScheduleDelayMillis', env: 'OTEL_BLRP_SCHEDULE_DELAY', defaultValue: 1000, defaultText: '`1000`', meaning: 'Milliseconds between two batch exports of log records.', parse: parseNonNegativeInteger },
  { option: 'logBatchMaxQueueSize', env: 'OTEL_BLRP_MAX_QUEUE_SIZE', defaultValue: 2048, defaultText: '`2048`', meaning: 'Log records kept waiting for export; beyond it new ones are dropped and counted.', parse: parsePositiveInteger },
  { option: 'logBatchMaxExportBatchSize', env: 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE', defaultValue: 512, defaultText: '`512`', meaning: 'Log records in one export request.', parse: parsePositiveInteger },
  { option: 'logBatchExportTimeoutMillis', env: 'OTEL_BLRP_EXPORT_TIMEOUT', defaultValue: 30_000, defaultText: '`30000`', meaning: 'Milliseconds the batch processor waits for one log export.', parse: parseNonNegativeInteger },
  { option: 'metricsExporter', env: 'OTEL_METRICS_EXPORTER', defaultValue: ['otlp'], defaultText: '`otlp`', meaning: 'Comma-separated: `otlp`, `prometheus` (a scrape endpoint, with exemplars in OpenMetrics), `console`, `none`.', parse: parseEnumList(['otlp', 'prometheus', 'console', 'none'] as const) },
  { option: 'prometheusHost', env: 'OTEL_EXPORTER_PROMETHEUS_HOST', defaultValue: DEFAULT_PROMETHEUS_HOST, defaultText: `\`${DEFAULT_PROMETHEUS_HOST}\``, meaning: 'Address the Prometheus scrape endpoint listens on (with the `prometheus` metrics exporter).', parse: parseString },
  { option: 'prometheusPort', env: 'OTEL_EXPORTER_PROMETHEUS_PORT', defaultValue: DEFAULT_PROMETHEUS_PORT, defaultText: `\`${DEFAULT_PROMETHEUS_PORT}\``, meaning: 'Port of the Prometheus scrape endpoint; it serves `/metrics`. `0` picks a free port.', parse: parsePort },
  { option: 'metricExportIntervalMillis', env: 'OTEL_METRIC_EXPORT_INTERVAL', defaultValue: 60_000, defaultText: '`60000`', meaning: 'Milliseconds between two metric exports (and a final one on shutdown).', parse: parsePositiveInteger },
  { option: 'metricExportTimeoutMillis', env: 'OTEL_METRIC_EXPORT_TIMEOUT', defaultValue: 30_000, defaultText: '`30000`', meaning: 'Milliseconds one metric export may take.', parse: parsePositiveInteger },
  { option: 'metricCardinalityLimit', env: 'THREADLINE_METRIC_CARDINALITY_LIMIT', defaultValue: 2000, defaultText: '`2000`', meaning: 'Series per instrument; beyond it, measurements go to one series with `otel.metric.overflow=true` (none lost or double-counted).', parse: parsePositiveInteger },
  { option: 'runtimeMetrics', env: 'THREADLINE_RUNTIME_METRICS', defaultValue: true, defaultText: '`true`', meaning: 'Event loop, heap, GC, CPU, memory and handle metrics.', parse: parseBoolean },
  { option: 'loggerLevel', env: 'LOG_LEVEL', defaultValue: 'info', defaultText: '`info`', meaning: 'The lowest level the Threadline logger writes: `trace`, `debug`, `info`, `warn`, `error`, `fatal`, `silent`.', parse: parseEnum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const) },
  { option: 'prettyLogs', env: 'THREADLINE_LOG_PRETTY', defaultValue: false, defaultText: '`false`', meaning: 'Human-readable log lines for a terminal instead of JSON.', parse: parseBoolean },
  { option: 'correlateConsole', env: 'THREADLINE_CONSOLE', defaultValue: false, defaultText: '`false`', meaning: 'Turn `console.log/info/warn/error/debug` into correlated JSON lines (and OTLP log records).', parse: parseBoolean },
  { option: 'requestIdHeaders', env: 'THREADLINE_REQUEST_ID_HEADERS', defaultValue: ['x-request-id'], defaultText: '`x-request-id`', meaning: 'Comma-separated inbound headers that may carry a request ID, first match wins; the first is echoed on responses and sent on outbound calls.', parse: parseStringList },
  { option: 'redactKeys', env: 'THREADLINE_REDACT_KEYS', defaultValue: [...DEFAULT_REDACT_KEYS], defaultText: '`' + DEFAULT_REDACT_KEYS.join(',') + '`', meaning: 'Comma-separated name patterns: a log field, span attribute or metric attribute whose name contains one (case and `-` `_` `.` ignored) has its value replaced by `[REDACTED]`, on stdout and in OTLP. `none` masks nothing.', parse: parseStringList },
  { option: 'trustInboundContext', env: 'THREADLINE_TRUST_INBOUND_CONTEXT', defaultValue: true, defaultText: '`true`', meaning: 'Continue the trace an inbound request names (`traceparent`) and keep its baggage. `false` is edge mode for public endpoints: each inbound request starts a new trace linked to the caller\'s, and inbound baggage is dropped, so a caller cannot force sampling or plant baggage.', parse: parseBoolean },
  { option: 'contextAllowedHosts', env: 'THREADLINE_CONTEXT_ALLOWED_HOSTS', defaultValue: ['*'], defaultText: '`*` (every host)', meaning: 'Comma-separated hosts that outbound HTTP and fetch calls send `baggage`, `tracestate` and the request ID header to (`api.internal`, `*.svc.cluster.local`); `traceparent` goes to every host.', parse: parseStringList },
  { option: 'attributeValueLengthLimit', env: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', defaultValue: DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, defaultText: `\`${DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT}\``, meaning: 'Longest string attribute value kept; longer values are truncated.', parse: parsePositiveInteger },
  { option: 'attributeCountLimit', env: 'OTEL_ATTRIBUTE_COUNT_LIMIT', defaultValue: 128, defaultText: '`128`', meaning: 'Attributes kept per span; more are dropped.', parse: parsePositiveInteger },
  { option: 'enabledInstrumentations', env: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', defaultValue: [...INSTRUMENTATION_NAMES], defaultText: 'all: `' + INSTRUMENTATION_NAMES.join(',') + '`', meaning: 'Comma-separated instrumentations to turn on; the others stay off.', parse: parseEnumList(INSTRUMENTATION_NAMES) },
  { option: 'disabledInstrumentations', env: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated instrumentations to turn off; wins over the enabled list.', parse: parseEnumList(INSTRUMENTATION_NAMES) },
  { option: 'ignoreIncomingPaths', env: 'THREADLINE_IGNORE_PATHS', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated inbound paths that get no span, nor do the calls made while serving them (health checks); a trailing `*` matches a prefix.', parse: parseStringList },
  ...headerCaptureSettings(),
  { option: 'captureSensitiveHeaders', env: 'THREADLINE_CAPTURE_SENSITIVE_HEADERS', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated sensitive headers (`authorization`, `cookie`, `set-cookie`, `proxy-authorization`, API keys and tokens) whose values may be captured as they are; any other listed sensitive header is captured as `REDACTED`.', parse: parseStringList },
  { option: 'dbRootSpans', env: 'THREADLINE_DB_ROOT_SPANS', defaultValue: true, defaultText: '`true`', meaning: 'Export database spans made outside any request (pool health checks, start-up and scheduled queries) as root spans; with `false` they are still counted in `db.client.operation.duration`.', parse: parseBoolean },
  { option: 'shutdownTimeoutMillis', env: 'THREADLINE_SHUTDOWN_TIMEOUT', defaultValue: DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, defaultText: `\`${DEFAULT_SHUTDOWN_TIMEOUT_MILLIS}\``, meaning: 'Milliseconds a flush on SIGTERM, SIGINT or exit may take; `0` means no limit.', parse: parseNonNegativeInteger },
  { option: 'handleSignals', env: 'THREADLINE_HANDLE_SIGNALS', defaultValue: true, defaultText: '`true`', meaning: 'Flush on SIGTERM/SIGINT, then exit as the signal would (unless the app handles the signal itself).', parse: parseBoolean },
  { option: 'doctor', env: 'THREADLINE_DOCTOR', defaultValue: false, defaultText: '`false`', meaning: 'Doctor mode: once start-up settled (the app listens, or `doctorWaitMillis` passed), print one report on stderr of what was instrumented (proved by a probe), modules loaded too early, the configuration and its sources, and whether each endpoint answers; see docs/troubleshooting.md. `1` or `true` turns it on.', parse: parseFlag },
  { option: 'doctorReportFile', env: 'THREADLINE_DOCTOR_REPORT', defaultText: 'unset', meaning: 'Doctor mode writes its report to this file as JSON instead of printing it (set by `threadline doctor`).', parse: parseString },
  { option: 'doctorWaitMillis', env: 'THREADLINE_DOCTOR_WAIT', defaultValue: 3000, defaultText: '`3000`', meaning: 'Milliseconds doctor mode waits for the app to listen before it reports anyway.', parse: parsePositiveInteger },
];
