/** Public types shared by every Threadline package. */
import type { AppModules } from './app-modules';
import type { DeploymentFacts } from './config/deployment-variables';
import type { SamplingRule } from './config/sampling-rules';

export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';
export type Compression = 'gzip' | 'none';
export type TracesExporterName = 'otlp' | 'zipkin' | 'console' | 'none';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
export type PropagatorName = 'tracecontext' | 'baggage' | 'none';
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
export type InstrumentationName = 'http' | 'undici' | 'express' | 'fastify' | 'koa' | 'hono' | 'nestjs' | 'pg' | 'mysql2' | 'ioredis' | 'redis' | 'pino' | 'winston' | 'amqplib' | 'nats' | 'mqtt' | 'bullmq';
export type LogsExporterName = 'otlp' | 'console' | 'none';
export type MetricsExporterName = 'otlp' | 'prometheus' | 'console' | 'none';
export type LoggerLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type Attributes = Record<string, string | number | boolean>;

/** Options a user passes to `start()`. Every field is optional; code beats environment. */
export interface ThreadlineOptions {
  /**
   * Exports of clients and loggers bundled into the app (`{ pg, pino }`), which Node's module
   * loader never sees; see docs/bundling.md. Not a setting: there is no variable for it.
   */
  modules?: AppModules;
  serviceName?: string;
  serviceVersion?: string;
  deploymentEnvironment?: string;
  resourceAttributes?: Attributes;
  resourceDetection?: boolean;
  k8sPodName?: string;
  k8sNamespaceName?: string;
  k8sNodeName?: string;
  k8sPodUid?: string;
  disabled?: boolean;
  logLevel?: LogLevel;
  /** Base endpoint for every signal, e.g. `http://collector:4318`. */
  endpoint?: string;
  /** Full URL for traces, used as-is, e.g. `http://collector:4318/v1/traces`. */
  tracesEndpoint?: string;
  headers?: Record<string, string>;
  tracesHeaders?: Record<string, string>;
  protocol?: OtlpProtocol;
  tracesProtocol?: OtlpProtocol;
  compression?: Compression;
  tracesCompression?: Compression;
  exportTimeoutMillis?: number;
  tracesExportTimeoutMillis?: number;
  logsEndpoint?: string;
  logsHeaders?: Record<string, string>;
  logsProtocol?: OtlpProtocol;
  logsCompression?: Compression;
  logsExportTimeoutMillis?: number;
  metricsEndpoint?: string;
  metricsHeaders?: Record<string, string>;
  metricsProtocol?: OtlpProtocol;
  metricsCompression?: Compression;
  metricsExportTimeoutMillis?: number;
  /** For a `host:port` endpoint: connect without TLS (`OTEL_EXPORTER_OTLP_INSECURE`). */
  insecure?: boolean;
  tracesInsecure?: boolean;
  logsInsecure?: boolean;
  metricsInsecure?: boolean;
  /** PEM file paths for TLS: trusted CA, and the client's key and certificate for mutual TLS. */
  certificate?: string;
  clientKey?: string;
  clientCertificate?: string;
  tracesCertificate?: string;
  tracesClientKey?: string;
  tracesClientCertificate?: string;
  logsCertificate?: string;
  logsClientKey?: string;
  logsClientCertificate?: string;
  metricsCertificate?: string;
  metricsClientKey?: string;
  metricsClientCertificate?: string;
  /** Where the Prometheus scrape endpoint listens (with `metricsExporter: ['prometheus']`). */
  prometheusHost?: string;
  prometheusPort?: number;
  metricsExporter?: MetricsExporterName[];
  metricExportIntervalMillis?: number;
  metricExportTimeoutMillis?: number;
  /** Series per instrument before the overflow series takes the rest. */
  metricCardinalityLimit?: number;
  runtimeMetrics?: boolean;
  /** Where log records go besides stdout; `['none']` keeps them on stdout only. */
  logsExporter?: LogsExporterName[];
  logBatchScheduleDelayMillis?: number;
  logBatchMaxQueueSize?: number;
  logBatchMaxExportBatchSize?: number;
  logBatchExportTimeoutMillis?: number;
  /** The lowest level the Threadline logger writes (`LOG_LEVEL`). */
  loggerLevel?: LoggerLevel;
  prettyLogs?: boolean;
  /** Turn console.* into correlated JSON lines. */
  correlateConsole?: boolean;
  /** Inbound headers that may carry a request ID; the first is echoed and sent outbound. */
  requestIdHeaders?: string[];
  /** `false` (edge mode): an inbound request starts a new trace linked to the caller's; inbound baggage is dropped. */
  trustInboundContext?: boolean;
  /** Hosts that receive `baggage`, `tracestate` and the request ID header on outbound calls (default `['*']`). */
  contextAllowedHosts?: string[];
  /** Where spans go; `[]` or `['none']` turns export off (propagation keeps working). */
  tracesExporter?: TracesExporterName[];
  /** Where the `zipkin` exporter posts (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`). */
  zipkinEndpoint?: string;
  sampler?: SamplerName;
  samplerArg?: number;
  /** `['/health*=0', 'GET /orders/:id=0.5', '*=0.1']` or the same comma-separated; see docs/sampling.md. */
  samplingRules?: string[] | string;
  propagators?: PropagatorName[];
  batchScheduleDelayMillis?: number;
  batchMaxQueueSize?: number;
  /** Encoded bytes each export queue (spans, log records) may hold. */
  exportQueueMaxBytes?: number;
  batchMaxExportBatchSize?: number;
  batchExportTimeoutMillis?: number;
  /** Name patterns of fields and attributes whose values are masked (`THREADLINE_REDACT_KEYS`). */
  redactKeys?: string[];
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  /** Instrumentations to turn on (default: all); see docs/instrumentations.md for the names. */
  enabledInstrumentations?: InstrumentationName[];
  disabledInstrumentations?: InstrumentationName[];
  /** Inbound paths that get no span (health checks); a trailing `*` matches a prefix. */
  ignoreIncomingPaths?: string[];
  /** Export database spans made outside any request as root spans (default true). */
  dbRootSpans?: boolean;
  /** Headers captured as span attributes (`OTEL_INSTRUMENTATION_HTTP_CAPTURE_HEADERS_*`). */
  captureServerRequestHeaders?: string[];
  captureServerResponseHeaders?: string[];
  captureClientRequestHeaders?: string[];
  captureClientResponseHeaders?: string[];
  /** Sensitive headers (authorization, cookies, API keys) captured unmasked when also listed above. */
  captureSensitiveHeaders?: string[];
  shutdownTimeoutMillis?: number;
  /** Flush on SIGTERM/SIGINT and then keep the signal's meaning. */
  handleSignals?: boolean;
  /** Check the setup once start-up settled and report it (see docs/troubleshooting.md). */
  doctor?: boolean;
  doctorReportFile?: string;
  doctorWaitMillis?: number;
}

/** The one resolved configuration object: every value decided, nothing read later. */
export interface ResolvedConfig {
  serviceName: string;
  serviceVersion: string | undefined;
  deploymentEnvironment: string | undefined;
  resourceAttributes: Attributes;
  disabled: boolean;
  /** Read container, host and git facts from local files at start. */
  resourceDetection: boolean;
  /** From the downward-API variables (`K8S_POD_NAME`, ...); empty strings count as unset. */
  kubernetes: { podName?: string; namespaceName?: string; nodeName?: string; podUid?: string };
  /** The deploy's commit, branch and repository from the CI/CD variables. */
  deployment: DeploymentFacts;
  logLevel: LogLevel;
  traces: SignalExportConfig & { exporters: TracesExporterName[]; zipkinUrl: string };
  logs: SignalExportConfig & {
    exporters: LogsExporterName[];
    batch: BatchLimits;
    level: LoggerLevel;
    pretty: boolean;
    correlateConsole: boolean;
  };
  metrics: SignalExportConfig & {
    exporters: MetricsExporterName[];
    intervalMillis: number;
    collectTimeoutMillis: number;
    cardinalityLimit: number;
    runtime: boolean;
    prometheus: { host: string; port: number };
  };
  /** Lowercase header names; never empty. */
  requestIdHeaders: string[];
  trustInboundContext: boolean;
  /** Lowercase host patterns (`*` for all, `*.suffix`, exact names). */
  contextAllowedHosts: string[];
  sampler: SamplerName;
  samplerArg: number;
  /** Rules for requests that start a trace, first match wins (docs/sampling.md). */
  samplingRules: SamplingRule[];
  propagators: PropagatorName[];
  /** Span batching (OTEL_BSP_*); log batching is `logs.batch` (OTEL_BLRP_*). */
  batch: BatchLimits;
  /** Name patterns of masked fields and attributes; empty masks nothing. */
  redactKeys: string[];
  limits: { attributeValueLengthLimit: number; attributeCountLimit: number };
  /** The instrumentations that are on. */
  instrumentations: InstrumentationName[];
  ignoreIncomingPaths: string[];
  dbRootSpans: boolean;
  /** Lowercase header names to capture; empty lists capture nothing and cost nothing. */
  headerCapture: HeaderCaptureConfig;
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
  doctor: DoctorConfig;
}

/** Doctor mode: a report of what Threadline instrumented and whether its endpoints answer. */
export interface DoctorConfig {
  enabled: boolean;
  /** Where `threadline doctor` wants the report as JSON; unset: printed on stderr. */
  reportFile: string | undefined;
  /** How long start-up may take before the report is made, if the app never listens. */
  waitMillis: number;
}

export interface HeaderCaptureConfig {
  serverRequest: string[];
  serverResponse: string[];
  clientRequest: string[];
  clientResponse: string[];
  /** Sensitive names whose values are captured as they are. */
  allowSensitive: string[];
}

/** Batching of an exported signal: what OTEL_BSP_* / OTEL_BLRP_* set. */
export interface BatchLimits {
  scheduleDelayMillis: number;
  maxQueueSize: number;
  /** Encoded bytes waiting or in flight; past it new items are dropped (THREADLINE_EXPORT_QUEUE_MAX_BYTES). */
  maxQueueBytes: number;
  maxExportBatchSize: number;
  exportTimeoutMillis: number;
}

export type SignalName = 'traces' | 'metrics' | 'logs';

export interface SignalExportConfig {
  signal: SignalName;
  /** Over HTTP the full URL; over gRPC the collector's address as a URL (`https://` means TLS). */
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  compression: Compression;
  timeoutMillis: number;
  tls: TlsFiles;
}

/** PEM files for an export connection; unset means the system's CAs and no client certificate. */
export interface TlsFiles {
  certificate?: string;
  clientKey?: string;
  clientCertificate?: string;
}

/** Failed OTLP exports since start, and the last reason. */
export interface ExportFailures {
  count: number;
  lastError: string | undefined;
}

/** What each signal package hands the bootstrap to drive its export. */
export interface SignalLifecycle {
  /** True when something was recorded since the last flush. */
  hasPendingWork(): boolean;
  exportFailures(): ExportFailures;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
  /**
   * At the `exit` event, where nothing asynchronous runs any more: what is not known to be
   * delivered, as encoded OTLP requests, for a synchronous send. Nothing is exported afterwards.
   */
  takeForExit?(): ExitExport[];
}

/** One OTLP/HTTP request left to send when the process exits, already encoded. */
export interface ExitExport {
  /** What it carries, for the line that says what was lost: `spans`, `log records`, `metric points`. */
  what: string;
  count: number;
  body: Uint8Array;
  export: SignalExportConfig;
}

/** How a flush or shutdown ended. Never a rejection. */
export interface LifecycleResult {
  status: 'ok' | 'timeout' | 'failed' | 'disabled';
  durationMillis: number;
  error?: string;
}
