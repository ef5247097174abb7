import type { Parser } from './parse';
import {
  parseBoolean,
  parseEnum,
  parseEnumList,
  parseKeyValueList,
  parseNonNegativeInteger,
  parsePositiveInteger,
  parseRatio,
  parseString,
  parseStringList,
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
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5_000;
/** The spec leaves attribute length unlimited; an unbounded string can blow a batch past the backend's limit. */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;
/** 2048 queued spans average well under 1 KiB each; log records can be far larger. */
export const DEFAULT_EXPORT_QUEUE_MAX_BYTES = 16 * 1024 * 1024;

/** Instrumentations Threadline ships, by the names OTEL_NODE_*_INSTRUMENTATIONS use. */
export const INSTRUMENTATION_NAMES = ['http', 'undici', 'express', 'fastify', 'pg', 'mysql2', 'ioredis', 'redis', 'pino', 'winston'] as const;

const protocols = parseEnum(['http/protobuf', 'http/json'] as const);
const compressions = parseEnum(['gzip', 'none'] as const);

/** The per-signal endpoint, headers, protocol, compression and timeout rows, falling back to the shared ones. */
function signalSettings(signal: 'traces' | 'logs' | 'metrics', items: string): Setting[] {
  const upper = signal.toUpperCase();
  return [
    { option: `${signal}Endpoint`, env: `OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`, defaultText: `endpoint + \`/v1/${signal}\``, meaning: `Full URL for ${signal}, used as-is.`, parse: parseUrl },
    { option: `${signal}Headers`, env: `OTEL_EXPORTER_OTLP_${upper}_HEADERS`, fallback: 'headers', defaultText: '`headers`', meaning: `Headers for ${signal} exports only.`, parse: parseKeyValueList, isMap: true },
    { option: `${signal}Protocol`, env: `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`, fallback: 'protocol', defaultText: '`protocol`', meaning: `OTLP encoding for ${signal}.`, parse: protocols },
    { option: `${signal}Compression`, env: `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`, fallback: 'compression', defaultText: '`compression`', meaning: `Compression for ${signal} exports.`, parse: compressions },
    { option: `${signal}ExportTimeoutMillis`, env: `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, fallback: 'exportTimeoutMillis', defaultText: '`exportTimeoutMillis`', meaning: `Export timeout for ${items}.`, parse: parseNonNegativeInteger },
  ];
}

export const SETTINGS: readonly Setting[] = [
  { option: 'serviceName', env: 'OTEL_SERVICE_NAME', defaultText: '`name` in the app\'s package.json, else `unknown_service:node`', meaning: 'The `service.name` resource attribute; beats `service.name` in `OTEL_RESOURCE_ATTRIBUTES`.', parse: parseString },
  { option: 'serviceVersion', defaultText: '`version` in the app\'s package.json', meaning: 'The `service.version` resource attribute (also settable in `OTEL_RESOURCE_ATTRIBUTES`).', parse: parseString },
  { option: 'deploymentEnvironment', defaultText: 'unset', meaning: 'The `deployment.environment.name` resource attribute (also settable in `OTEL_RESOURCE_ATTRIBUTES`).', parse: parseString },
  { option: 'resourceAttributes', env: 'OTEL_RESOURCE_ATTRIBUTES', defaultValue: {}, defaultText: 'none', meaning: 'Extra resource attributes, `key=value,key2=value2` (values percent-decoded).', parse: parseKeyValueList, isMap: true },
  { option: 'disabled', env: 'OTEL_SDK_DISABLED', defaultValue: false, defaultText: '`false`', meaning: 'Turns all telemetry off; only case-insensitive `true` disables.', parse: parseBoolean },
  { option: 'logLevel', env: 'OTEL_LOG_LEVEL', defaultValue: 'info', defaultText: '`info`', meaning: 'Threadline\'s own diagnostics on stderr: `none`, `error`, `warn`, `info`, `debug`, `verbose`, `all`.', parse: parseEnum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const) },
  { option: 'endpoint', env: 'OTEL_EXPORTER_OTLP_ENDPOINT', defaultValue: DEFAULT_ENDPOINT, defaultText: `\`${DEFAULT_ENDPOINT}\``, meaning: 'Base URL for every signal; `/v1/traces` is appended for traces.', parse: parseUrl },
  { option: 'headers', env: 'OTEL_EXPORTER_OTLP_HEADERS', defaultValue: {}, defaultText: 'none', meaning: 'Headers sent with every export, `key=value,key2=value2`.', parse: parseKeyValueList, isMap: true },
  { option: 'protocol', env: 'OTEL_EXPORTER_OTLP_PROTOCOL', defaultValue: 'http/protobuf', defaultText: '`http/protobuf`', meaning: 'OTLP encoding: `http/protobuf` or `http/json`.', parse: protocols },
  { option: 'compression', env: 'OTEL_EXPORTER_OTLP_COMPRESSION', defaultValue: 'none', defaultText: '`none`', meaning: '`gzip` or `none`.', parse: compressions },
  { option: 'exportTimeoutMillis', env: 'OTEL_EXPORTER_OTLP_TIMEOUT', defaultValue: DEFAULT_EXPORT_TIMEOUT_MILLIS, defaultText: `\`${DEFAULT_EXPORT_TIMEOUT_MILLIS}\``, meaning: 'Milliseconds one export may take, retries included; `0` means no limit.', parse: parseNonNegativeInteger },
  ...signalSettings('traces', 'spans'),
  ...signalSettings('logs', 'log records'),
  ...signalSettings('metrics', 'metric points'),
  { option: 'tracesExporter', env: 'OTEL_TRACES_EXPORTER', defaultValue: ['otlp'], defaultText: '`otlp`', meaning: 'Comma-separated: `otlp`, `console`, `none`. With `none`, spans are still created so trace context still propagates.', parse: parseEnumList(['otlp', 'console', 'none'] as const) },
  { option: 'sampler', env: 'OTEL_TRACES_SAMPLER', defaultValue: 'parentbased_always_on', defaultText: '`parentbased_always_on`', meaning: '`always_on`, `always_off`, `traceidratio`, `parentbased_always_on`, `parentbased_always_off`, `parentbased_traceidratio`.', parse: parseEnum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'] as const) },
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
  { option: 'metricsExporter', env: 'OTEL_METRICS_EXPORTER', defaultValue: ['otlp'], defaultText: '`otlp`', meaning: 'Comma-separated: `otlp`, `console`, `none`.', parse: parseEnumList(['otlp', 'console', 'none'] as const) },
  { option: 'metricExportIntervalMillis', env: 'OTEL_METRIC_EXPORT_INTERVAL', defaultValue: 60_000, defaultText: '`60000`', meaning: 'Milliseconds between two metric exports (and a final one on shutdown).', parse: parsePositiveInteger },
  { option: 'metricExportTimeoutMillis', env: 'OTEL_METRIC_EXPORT_TIMEOUT', defaultValue: 30_000, defaultText: '`30000`', meaning: 'Milliseconds one metric export may take.', parse: parsePositiveInteger },
  { option: 'metricCardinalityLimit', env: 'THREADLINE_METRIC_CARDINALITY_LIMIT', defaultValue: 2000, defaultText: '`2000`', meaning: 'Series per instrument; beyond it, measurements go to one series with `otel.metric.overflow=true` (none lost or double-counted).', parse: parsePositiveInteger },
  { option: 'runtimeMetrics', env: 'THREADLINE_RUNTIME_METRICS', defaultValue: true, defaultText: '`true`', meaning: 'Event loop, heap, GC, CPU, memory and handle metrics.', parse: parseBoolean },
  { option: 'loggerLevel', env: 'LOG_LEVEL', defaultValue: 'info', defaultText: '`info`', meaning: 'The lowest level the Threadline logger writes: `trace`, `debug`, `info`, `warn`, `error`, `fatal`, `silent`.', parse: parseEnum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const) },
  { option: 'prettyLogs', env: 'THREADLINE_LOG_PRETTY', defaultValue: false, defaultText: '`false`', meaning: 'Human-readable log lines for a terminal instead of JSON.', parse: parseBoolean },
  { option: 'correlateConsole', env: 'THREADLINE_CONSOLE', defaultValue: false, defaultText: '`false`', meaning: 'Turn `console.log/info/warn/error/debug` into correlated JSON lines (and OTLP log records).', parse: parseBoolean },
  { option: 'requestIdHeaders', env: 'THREADLINE_REQUEST_ID_HEADERS', defaultValue: ['x-request-id'], defaultText: '`x-request-id`', meaning: 'Comma-separated inbound headers that may carry a request ID, first match wins; the first is echoed on responses and sent on outbound calls.', parse: parseStringList },
  { option: 'trustInboundContext', env: 'THREADLINE_TRUST_INBOUND_CONTEXT', defaultValue: true, defaultText: '`true`', meaning: 'Continue the trace an inbound request names (`traceparent`) and keep its baggage. `false` is edge mode for public endpoints: each inbound request starts a new trace linked to the caller\'s, and inbound baggage is dropped, so a caller cannot force sampling or plant baggage.', parse: parseBoolean },
  { option: 'contextAllowedHosts', env: 'THREADLINE_CONTEXT_ALLOWED_HOSTS', defaultValue: ['*'], defaultText: '`*` (every host)', meaning: 'Comma-separated hosts that outbound HTTP and fetch calls send `baggage`, `tracestate` and the request ID header to (`api.internal`, `*.svc.cluster.local`); `traceparent` goes to every host.', parse: parseStringList },
  { option: 'attributeValueLengthLimit', env: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', defaultValue: DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, defaultText: `\`${DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT}\``, meaning: 'Longest string attribute value kept; longer values are truncated.', parse: parsePositiveInteger },
  { option: 'attributeCountLimit', env: 'OTEL_ATTRIBUTE_COUNT_LIMIT', defaultValue: 128, defaultText: '`128`', meaning: 'Attributes kept per span; more are dropped.', parse: parsePositiveInteger },
  { option: 'enabledInstrumentations', env: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', defaultValue: [...INSTRUMENTATION_NAMES], defaultText: 'all: `' + INSTRUMENTATION_NAMES.join(',') + '`', meaning: 'Comma-separated instrumentations to turn on; the others stay off.', parse: parseEnumList(INSTRUMENTATION_NAMES) },
  { option: 'disabledInstrumentations', env: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated instrumentations to turn off; wins over the enabled list.', parse: parseEnumList(INSTRUMENTATION_NAMES) },
  { option: 'ignoreIncomingPaths', env: 'THREADLINE_IGNORE_PATHS', defaultValue: [], defaultText: 'none', meaning: 'Comma-separated inbound paths that get no span, nor do the calls made while serving them (health checks); a trailing `*` matches a prefix.', parse: parseStringList },
  { option: 'shutdownTimeoutMillis', env: 'THREADLINE_SHUTDOWN_TIMEOUT', defaultValue: DEFAULT_SHUTDOWN_TIMEOUT_MILLIS, defaultText: `\`${DEFAULT_SHUTDOWN_TIMEOUT_MILLIS}\``, meaning: 'Milliseconds a flush on SIGTERM, SIGINT or exit may take; `0` means no limit.', parse: parseNonNegativeInteger },
  { option: 'handleSignals', env: 'THREADLINE_HANDLE_SIGNALS', defaultValue: true, defaultText: '`true`', meaning: 'Flush on SIGTERM/SIGINT, then exit as the signal would (unless the app handles the signal itself).', parse: parseBoolean },
];
