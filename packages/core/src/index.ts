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
  HeaderCaptureConfig,
  SamplerName,
  BatchLimits,
  SignalExportConfig,
  SignalName,
  DoctorConfig,
  TlsFiles,
  SignalLifecycle,
  ExportFailures,
  ExitExport,
  ThreadlineOptions,
  TracesExporterName,
} from './types';
export type { Setting } from './config/settings';
export type { SamplingRule } from './config/sampling-rules';
export {
  SETTINGS,
  DEFAULT_ENDPOINT,
  DEFAULT_GRPC_ENDPOINT,
  DEFAULT_PROMETHEUS_HOST,
  DEFAULT_PROMETHEUS_PORT,
  DEFAULT_ZIPKIN_ENDPOINT,
  INSTRUMENTATION_NAMES,
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
  DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT,
} from './config/settings';
export type { AppPackage, Environment, ResolveResult, ValueSource } from './config/resolve-config';
export { resolveConfig, appendSignalPath } from './config/resolve-config';
export { renderSettingsTable } from './config/settings-table';
export type { WarningEntry } from './warnings/warning-catalog';
export { WARNINGS, findWarning } from './warnings/warning-catalog';
export type { Parsed, Parser } from './config/parse';
export { parseBoolean, parseKeyValueList } from './config/parse';
export { readAppPackage } from './app-package';
export { redactUrl } from './redact-url';
export { sanitizeSql } from './sanitize-sql';
export { isDbError, sanitizeDbErrorFields, sanitizeDbErrorMessage, sanitizeStack } from './sanitize-db-error';
export { rememberDbErrorMessage, sanitizeSeenDbErrors, sanitizedDbError } from './seen-db-errors';
export type { RecordedError } from './seen-db-errors';
export type { FieldRedactor } from './redact-fields';
export { DEFAULT_REDACT_KEYS, NO_FIELD_REDACTION, REDACTED_VALUE, createFieldRedactor, maskSecretAttributes } from './redact-fields';
export type { BoundStats, ValueLimits } from './otlp/bounded-value';
export { DEFAULT_VALUE_LIMITS, ValueBounder, cutString } from './otlp/bounded-value';
export { createResourceAttributes } from './resource';
export { readSmallFile } from './resource/read-small-file';
export type { Diagnostics, DiagnosticsSink } from './diagnostics';
export { createDiagnostics, describeError, errorTypeOf } from './diagnostics';
export type { Guarded } from './guard';
export { GUARDED_BY_THREADLINE, guard, guardedLoad } from './guard';
export { runWithDeadline } from './deadline';
export { markExiting, markExitingWhileFlushing, remainingExitMillis } from './exit-state';
export type { ExitSendResult } from './exit-export';
export { sendAtExit } from './exit-export';
export type { ProcessHooksOptions } from './process-hooks';
export { installProcessHooks } from './process-hooks';
export { getGlobalState, setGlobalState } from './global-state';
export type { EsmModuleTarget } from './esm-module-watch';
export { appCanResolve, watchEsmModules } from './esm-module-watch';
export type { ExportResponse, ExporterTransport } from './otlp/export-response';
export { OtlpExportError, combineExportFailures, exportErrorType } from './otlp/export-response';
export type { ComponentAttributes, ExportedItem } from './otlp/export-stats';
export { ExportStats, exportStatsRegistry, registerExportStats } from './otlp/export-stats';
export { rejectedCount } from './otlp/partial-success';
export type { OtlpHttpTransportOptions } from './otlp/http-transport';
export { abortInFlightExports, createOtlpHttpTransport, MAX_REQUEST_BYTES, MAX_RESPONSE_BYTES } from './otlp/http-transport';
export type { RetryPolicy } from './otlp/retry-policy';
export {
  classifyConnectionError,
  classifyHttpResponse,
  DEFAULT_RETRY_POLICY,
  EXPORT_TIMEOUT_CODE,
  RETRYABLE_CONNECTION_ERRORS,
  RETRYABLE_HTTP_STATUS,
  retryDelayMillis,
} from './otlp/retry-policy';
export { createRetryingTransport, createSignalTransport } from './otlp/retrying-transport';
export { parseRetryAfter } from './otlp/retry-after';
export type { OtlpGrpcTransportOptions } from './otlp/grpc-transport';
export { GRPC_PACKAGE, createOtlpGrpcTransport } from './otlp/grpc-transport';
export type { GrpcRetryDecision } from './otlp/grpc-status';
export { GRPC_STATUS, classifyGrpcStatus, readRetryDelayMillis } from './otlp/grpc-status';
export { ProtobufWriter, millisToHrTime } from './otlp/protobuf-writer';
export type { BatchingExporterOptions, EncodedBatch } from './otlp/batching-exporter';
export { BatchingOtlpExporter } from './otlp/batching-exporter';
export type { ScopeFields } from './otlp/otlp-protobuf';
export { MAX_ENCODED_DEPTH, encodeResourceField, writeAnyValue, writeAttributes, writeScope } from './otlp/otlp-protobuf';
export { THREADLINE_VERSION } from './version';
export type { ModuleTarget } from './module-watch';
export { alreadyLoaded, requestLoadsPackage, watchFirstLoads } from './module-watch';
export type { AppModules, ExportsHandler, LoaderHookedPackage, ModuleHandOver } from './app-modules';
export { LOADER_HOOKED_PACKAGES, appModuleHandOver, onAppModule, provideAppModules } from './app-modules';
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
export { isUntraced, markUntraced } from './untraced-socket';
export type { HttpRequestEnd } from './http-events';
export { HTTP_REQUEST_END_CHANNEL, publishHttpRequestEnd } from './http-events';
export type { MessagingOperationEnd } from './messaging-events';
export { MESSAGING_OPERATION_END_CHANNEL, publishMessagingOperationEnd } from './messaging-events';
export { FEATURE_FLAG_BAGGAGE_PREFIX, REQUEST_ATTRIBUTE_BAGGAGE_PREFIX, baggageWithRequestId, restoreCarriedRequest, withCarriedRequest } from './carried-request';
export { isThenable, runInBackground } from './background-work';
export type { Carried } from './carried-context';
export { carryContext, continueContext } from './carried-context';
