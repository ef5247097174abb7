export type {
  Attributes,
  Compression,
  InstrumentationName,
  LoggerLevel,
  LogsExporterName,
  MetricsExporterName,
  LifecycleResult,
  LogLevel,
  OtlpProtocol,
  PropagatorName,
  ResolvedConfig,
  SamplerName,
  BatchLimits,
  SignalExportConfig,
  SignalLifecycle,
  ExportFailures,
  ExitExport,
  ThreadlineOptions,
  TracesExporterName,
} from './types';
export type { Setting } from './config/settings';
export {
  SETTINGS,
  DEFAULT_ENDPOINT,
  INSTRUMENTATION_NAMES,
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
} from './config/settings';
export type { AppPackage, Environment, ResolveResult } from './config/resolve-config';
export { resolveConfig, appendSignalPath } from './config/resolve-config';
export { renderSettingsTable } from './config/settings-table';
export type { Parsed, Parser } from './config/parse';
export { parseBoolean, parseKeyValueList } from './config/parse';
export { readAppPackage } from './app-package';
export { redactUrl } from './redact-url';
export { sanitizeSql } from './sanitize-sql';
export { createResourceAttributes } from './resource';
export type { Diagnostics, DiagnosticsSink } from './diagnostics';
export { createDiagnostics, describeError, errorTypeOf } from './diagnostics';
export type { Guarded } from './guard';
export { guard, guardedLoad } from './guard';
export { runWithDeadline } from './deadline';
export { markExiting, markExitingWhileFlushing, remainingExitMillis } from './exit-state';
export type { ExitSendResult } from './exit-export';
export { sendAtExit } from './exit-export';
export type { ProcessHooksOptions } from './process-hooks';
export { installProcessHooks } from './process-hooks';
export { getGlobalState, setGlobalState } from './global-state';
export type { ExportResponse, ExporterTransport } from './otlp/export-response';
export { OtlpExportError, combineExportFailures } from './otlp/export-response';
export type { OtlpHttpTransportOptions } from './otlp/http-transport';
export { abortInFlightExports, createOtlpHttpTransport, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from './otlp/http-transport';
export type { RetryPolicy } from './otlp/retry-policy';
export {
  classifyConnectionError,
  classifyHttpResponse,
  DEFAULT_RETRY_POLICY,
  RETRYABLE_CONNECTION_ERRORS,
  RETRYABLE_HTTP_STATUS,
  retryDelayMillis,
} from './otlp/retry-policy';
export { createRetryingTransport, createSignalTransport } from './otlp/retrying-transport';
export { parseRetryAfter } from './otlp/retry-after';
export { ProtobufWriter, millisToHrTime } from './otlp/protobuf-writer';
export type { BatchingExporterOptions, EncodedBatch } from './otlp/batching-exporter';
export { BatchingOtlpExporter } from './otlp/batching-exporter';
export type { ScopeFields } from './otlp/otlp-protobuf';
export { encodeResourceField, writeAnyValue, writeAttributes, writeScope } from './otlp/otlp-protobuf';
export { THREADLINE_VERSION } from './version';
export type { ModuleTarget } from './module-watch';
export { alreadyLoaded, requestLoadsPackage, watchFirstLoads } from './module-watch';
export { LOG_FIELDS, PROTECTED_LOG_FIELDS, REQUEST_ID_ATTRIBUTE, REQUEST_ID_BAGGAGE_KEY, REQUEST_ID_HEADER } from './correlation';
export { MAX_REQUEST_ID_LENGTH, generateRequestId, isValidRequestId, randomHex } from './request-id';
export type { RequestAttributeValue, RequestContext } from './request-context';
export {
  createRequestContext,
  getRequestContext,
  getRequestId,
  recordFeatureFlag,
  setRequestAttributes,
  withRequestContext,
} from './request-context';
export { createRequestScope } from './request-scope';
export type { OtlpSignal } from './otlp/otlp-exporter';
export { OtlpExporter } from './otlp/otlp-exporter';
export type { HttpRequestEnd } from './http-events';
export { HTTP_REQUEST_END_CHANNEL, publishHttpRequestEnd } from './http-events';
