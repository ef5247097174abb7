/** Public types shared by every Threadline package. */

export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type Compression = 'gzip' | 'none';
export type TracesExporterName = 'otlp' | 'console' | 'none';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';
export type PropagatorName = 'tracecontext' | 'baggage' | 'none';
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';
export type InstrumentationName = 'http' | 'undici' | 'express' | 'fastify' | 'pg' | 'mysql2' | 'ioredis' | 'redis' | 'pino' | 'winston';
export type LogsExporterName = 'otlp' | 'console' | 'none';
export type MetricsExporterName = 'otlp' | 'console' | 'none';
export type LoggerLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type Attributes = Record<string, string | number | boolean>;

/** Options a user passes to `start()`. Every field is optional; code beats environment. */
export interface ThreadlineOptions {
  serviceName?: string;
  serviceVersion?: string;
  deploymentEnvironment?: string;
  resourceAttributes?: Attributes;
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
  sampler?: SamplerName;
  samplerArg?: number;
  propagators?: PropagatorName[];
  batchScheduleDelayMillis?: number;
  batchMaxQueueSize?: number;
  /** Encoded bytes each export queue (spans, log records) may hold. */
  exportQueueMaxBytes?: number;
  batchMaxExportBatchSize?: number;
  batchExportTimeoutMillis?: number;
  attributeValueLengthLimit?: number;
  attributeCountLimit?: number;
  /** Instrumentations to turn on (default: all); see docs/instrumentations.md for the names. */
  enabledInstrumentations?: InstrumentationName[];
  disabledInstrumentations?: InstrumentationName[];
  /** Inbound paths that get no span (health checks); a trailing `*` matches a prefix. */
  ignoreIncomingPaths?: string[];
  shutdownTimeoutMillis?: number;
  /** Flush on SIGTERM/SIGINT and then keep the signal's meaning. */
  handleSignals?: boolean;
}

/** The one resolved configuration object: every value decided, nothing read later. */
export interface ResolvedConfig {
  serviceName: string;
  serviceVersion: string | undefined;
  deploymentEnvironment: string | undefined;
  resourceAttributes: Attributes;
  disabled: boolean;
  logLevel: LogLevel;
  traces: SignalExportConfig & { exporters: TracesExporterName[] };
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
  };
  /** Lowercase header names; never empty. */
  requestIdHeaders: string[];
  trustInboundContext: boolean;
  /** Lowercase host patterns (`*` for all, `*.suffix`, exact names). */
  contextAllowedHosts: string[];
  sampler: SamplerName;
  samplerArg: number;
  propagators: PropagatorName[];
  /** Span batching (OTEL_BSP_*); log batching is `logs.batch` (OTEL_BLRP_*). */
  batch: BatchLimits;
  limits: { attributeValueLengthLimit: number; attributeCountLimit: number };
  /** The instrumentations that are on. */
  instrumentations: InstrumentationName[];
  ignoreIncomingPaths: string[];
  shutdownTimeoutMillis: number;
  handleSignals: boolean;
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

export interface SignalExportConfig {
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  compression: Compression;
  timeoutMillis: number;
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
