import { REQUEST_ID_HEADER } from '../correlation';
import type { Attributes, ResolvedConfig, SignalExportConfig, ThreadlineOptions } from '../types';
import type { Setting } from './settings';
import { readDeploymentVariables } from './deployment-variables';
import { parseSamplingRules } from './sampling-rules';
import { DEFAULT_ENDPOINT, DEFAULT_GRPC_ENDPOINT, SETTINGS } from './settings';

export type Environment = Record<string, string | undefined>;

export interface AppPackage {
  name?: string;
  version?: string;
}

export interface ResolveResult {
  config: ResolvedConfig;
  /** One message per bad value, naming the option or variable and the fallback used. */
  warnings: string[];
  /** Where each setting's value came from, by option name (what `threadline doctor` shows). */
  sources: Record<string, ValueSource>;
  /** Each setting's value before assembly into `config`, by option name (undefined: derived). */
  values: Record<string, unknown>;
}

/** A value set in code, by an environment variable, or left to its default (or derived). */
export type ValueSource = { from: 'option' } | { from: 'environment'; variable: string } | { from: 'default' };

const DEFAULT_SERVICE_NAME = 'unknown_service:node';

/**
 * Resolves code options, `OTEL_*` variables and defaults into one object, once, at start.
 * Never throws: a bad value is reported in `warnings` and the next source in line is used.
 */
export function resolveConfig(
  options: ThreadlineOptions = {},
  env: Environment = process.env,
  appPackage: AppPackage = {},
): ResolveResult {
  const warnings: string[] = [];
  const values = new Map<string, unknown>();
  const sources: Record<string, ValueSource> = {};
  const describeFallback = (setting: Setting): string =>
    setting.fallback ? `the value of ${setting.fallback}` : setting.defaultText.replace(/`/g, '');

  for (const setting of SETTINGS) {
    const fromCode = readCodeOption(setting, (options as Record<string, unknown>)[setting.option]);
    if (fromCode.state === 'set') {
      values.set(setting.option, fromCode.value);
      sources[setting.option] = { from: 'option' };
      continue;
    }
    if (fromCode.state === 'invalid') {
      warnings.push(
        `option ${setting.option}=${JSON.stringify(fromCode.raw)} is invalid (expected ${fromCode.expected}); ignoring it`,
      );
    }
    const raw = setting.env ? env[setting.env] : undefined;
    // The specification treats an empty variable as unset.
    if (raw !== undefined && raw.trim() !== '') {
      const parsed = setting.parse(raw);
      if (parsed.ok) {
        values.set(setting.option, parsed.value);
        sources[setting.option] = { from: 'environment', variable: setting.env! };
        continue;
      }
      warnings.push(
        `${setting.env}=${JSON.stringify(raw)} is invalid (expected ${parsed.expected}); using ${describeFallback(setting)}`,
      );
    }
    const fallbackValue = setting.fallback ? values.get(setting.fallback) : setting.defaultValue;
    if (fallbackValue !== undefined) values.set(setting.option, fallbackValue);
    sources[setting.option] = (setting.fallback ? sources[setting.fallback] : undefined) ?? { from: 'default' };
  }

  return { config: { ...assemble(values, appPackage, warnings), deployment: readDeploymentVariables(env) }, warnings, sources, values: Object.fromEntries(values) };
}

type CodeOption =
  | { state: 'unset' }
  | { state: 'set'; value: unknown }
  | { state: 'invalid'; raw: unknown; expected: string };

function readCodeOption(setting: Setting, value: unknown): CodeOption {
  if (value === undefined || value === null) return { state: 'unset' };
  if (setting.isMap) {
    const isStringMap =
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.values(value as object).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    return isStringMap
      ? { state: 'set', value: stringifyValues(value as Record<string, unknown>) }
      : { state: 'invalid', raw: value, expected: 'an object of string values' };
  }
  const raw = Array.isArray(value) ? value.join(',') : typeof value === 'object' ? '' : String(value);
  const parsed = setting.parse(raw);
  return parsed.ok
    ? { state: 'set', value: parsed.value }
    : { state: 'invalid', raw: value, expected: parsed.expected };
}

function stringifyValues(map: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) result[key] = String(value);
  return result;
}

function assemble(values: Map<string, unknown>, appPackage: AppPackage, warnings: string[]): Omit<ResolvedConfig, 'deployment'> {
  const get = <T>(option: string): T => values.get(option) as T;
  const resourceAttributes: Attributes = { ...get<Record<string, string>>('resourceAttributes') };
  const serviceName =
    get<string | undefined>('serviceName') ||
    (resourceAttributes['service.name'] as string | undefined) ||
    appPackage.name ||
    DEFAULT_SERVICE_NAME;
  const serviceVersion =
    get<string | undefined>('serviceVersion') ||
    (resourceAttributes['service.version'] as string | undefined) ||
    appPackage.version;
  const deploymentEnvironment =
    get<string | undefined>('deploymentEnvironment') ||
    (resourceAttributes['deployment.environment.name'] as string | undefined);

  const endpoint = get<string | undefined>('endpoint');
  const tracesExporters = get<string[]>('tracesExporter').filter((name) => name !== 'none');
  const batchQueue = get<number>('batchMaxQueueSize');
  const sampling = parseSamplingRules(get<string[]>('samplingRules'));
  for (const rule of sampling.invalid) {
    warnings.push(`sampling rule ${JSON.stringify(rule)} is invalid (expected [METHOD ]/path-or-route=ratio from 0 to 1, or *=ratio); ignoring it`);
  }

  return {
    serviceName,
    serviceVersion,
    deploymentEnvironment,
    resourceAttributes,
    disabled: get<boolean>('disabled'),
    resourceDetection: get('resourceDetection'),
    kubernetes: {
      podName: get('k8sPodName'),
      namespaceName: get('k8sNamespaceName'),
      nodeName: get('k8sNodeName'),
      podUid: get('k8sPodUid'),
    },
    logLevel: get('logLevel'),
    traces: { exporters: tracesExporters as ResolvedConfig['traces']['exporters'], zipkinUrl: get('zipkinEndpoint'), ...signalExport(values, 'traces', endpoint) },
    logs: {
      exporters: get<ResolvedConfig['logs']['exporters']>('logsExporter').filter((name) => name !== 'none'),
      ...signalExport(values, 'logs', endpoint),
      batch: {
        scheduleDelayMillis: get('logBatchScheduleDelayMillis'),
        maxQueueSize: get('logBatchMaxQueueSize'),
        maxQueueBytes: get('exportQueueMaxBytes'),
        maxExportBatchSize: Math.min(get<number>('logBatchMaxExportBatchSize'), get<number>('logBatchMaxQueueSize')),
        exportTimeoutMillis: get('logBatchExportTimeoutMillis'),
      },
      level: get('loggerLevel'),
      pretty: get('prettyLogs'),
      correlateConsole: get('correlateConsole'),
    },
    metrics: {
      exporters: get<ResolvedConfig['metrics']['exporters']>('metricsExporter').filter((name) => name !== 'none'),
      ...signalExport(values, 'metrics', endpoint),
      intervalMillis: get('metricExportIntervalMillis'),
      collectTimeoutMillis: get('metricExportTimeoutMillis'),
      cardinalityLimit: get('metricCardinalityLimit'),
      runtime: get('runtimeMetrics'),
      prometheus: { host: get('prometheusHost'), port: get('prometheusPort') },
    },
    requestIdHeaders: requestIdHeaders(get<string[]>('requestIdHeaders')),
    trustInboundContext: get('trustInboundContext'),
    contextAllowedHosts: get<string[]>('contextAllowedHosts').map((host) => host.toLowerCase()),
    sampler: get('sampler'),
    samplerArg: get('samplerArg'),
    samplingRules: sampling.rules,
    propagators: get<ResolvedConfig['propagators']>('propagators').filter((name) => name !== 'none'),
    batch: {
      scheduleDelayMillis: get('batchScheduleDelayMillis'),
      maxQueueSize: batchQueue,
      maxQueueBytes: get('exportQueueMaxBytes'),
      // The specification requires the batch to fit in the queue.
      maxExportBatchSize: Math.min(get<number>('batchMaxExportBatchSize'), batchQueue),
      exportTimeoutMillis: get('batchExportTimeoutMillis'),
    },
    redactKeys: get<string[]>('redactKeys').filter((key) => key.toLowerCase() !== 'none'),
    limits: {
      attributeValueLengthLimit: get('attributeValueLengthLimit'),
      attributeCountLimit: get('attributeCountLimit'),
    },
    instrumentations: get<ResolvedConfig['instrumentations']>('enabledInstrumentations').filter(
      (name) => !get<string[]>('disabledInstrumentations').includes(name),
    ),
    ignoreIncomingPaths: get('ignoreIncomingPaths'),
    dbRootSpans: get('dbRootSpans'),
    headerCapture: {
      serverRequest: headerNames(get<string[]>('captureServerRequestHeaders')),
      serverResponse: headerNames(get<string[]>('captureServerResponseHeaders')),
      clientRequest: headerNames(get<string[]>('captureClientRequestHeaders')),
      clientResponse: headerNames(get<string[]>('captureClientResponseHeaders')),
      allowSensitive: headerNames(get<string[]>('captureSensitiveHeaders')),
    },
    shutdownTimeoutMillis: get('shutdownTimeoutMillis'),
    handleSignals: get('handleSignals'),
    doctor: { enabled: get('doctor'), reportFile: get<string | undefined>('doctorReportFile') || undefined, waitMillis: get('doctorWaitMillis') },
  };
}

function signalExport(values: Map<string, unknown>, signal: 'traces' | 'logs' | 'metrics', endpoint: string | undefined): SignalExportConfig {
  const get = <T>(option: string): T => values.get(`${signal}${option}`) as T;
  const protocol = get<SignalExportConfig['protocol']>('Protocol');
  const insecure = get<boolean>('Insecure');
  // OTLP/gRPC addresses the service by its method path, so the endpoint is used as-is.
  const url =
    protocol === 'grpc'
      ? (get<string | undefined>('Endpoint') ?? endpoint ?? DEFAULT_GRPC_ENDPOINT)
      : (get<string | undefined>('Endpoint') ?? appendSignalPath(endpoint ?? DEFAULT_ENDPOINT, `v1/${signal}`));
  return {
    signal,
    url: withScheme(url, insecure),
    headers: get('Headers'),
    protocol,
    compression: get('Compression'),
    timeoutMillis: get('ExportTimeoutMillis'),
    tls: {
      certificate: get<string | undefined>('Certificate') || undefined,
      clientKey: get<string | undefined>('ClientKey') || undefined,
      clientCertificate: get<string | undefined>('ClientCertificate') || undefined,
    },
  };
}

/** The specification's `insecure` applies to an endpoint without a scheme: TLS unless it is true. */
function withScheme(endpoint: string, insecure: boolean): string {
  if (/^https?:\/\//i.test(endpoint)) return endpoint;
  return `${insecure ? 'http' : 'https'}://${endpoint}`;
}

/** Lowercase header names (HTTP token characters only), each once. */
function headerNames(names: string[]): string[] {
  const lower = names.map((name) => name.toLowerCase()).filter((name) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name));
  return [...new Set(lower)];
}

function requestIdHeaders(names: string[]): string[] {
  const lower = headerNames(names);
  return lower.length > 0 ? lower : [REQUEST_ID_HEADER];
}

/** OTLP/HTTP: the shared endpoint gets the signal path appended, with exactly one slash. */
export function appendSignalPath(endpoint: string, signalPath: string): string {
  return endpoint.endsWith('/') ? `${endpoint}${signalPath}` : `${endpoint}/${signalPath}`;
}
