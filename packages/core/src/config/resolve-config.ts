import { REQUEST_ID_HEADER } from '../correlation';
import type { Attributes, ResolvedConfig, SignalExportConfig, ThreadlineOptions } from '../types';
import type { Setting } from './settings';
import { SETTINGS } from './settings';

export type Environment = Record<string, string | undefined>;

export interface AppPackage {
  name?: string;
  version?: string;
}

export interface ResolveResult {
  config: ResolvedConfig;
  /** One message per bad value, naming the option or variable and the fallback used. */
  warnings: string[];
}

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
  const describeFallback = (setting: Setting): string =>
    setting.fallback ? `the value of ${setting.fallback}` : setting.defaultText.replace(/`/g, '');

  for (const setting of SETTINGS) {
    const fromCode = readCodeOption(setting, (options as Record<string, unknown>)[setting.option]);
    if (fromCode.state === 'set') {
      values.set(setting.option, fromCode.value);
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
        continue;
      }
      warnings.push(
        `${setting.env}=${JSON.stringify(raw)} is invalid (expected ${parsed.expected}); using ${describeFallback(setting)}`,
      );
    }
    const fallbackValue = setting.fallback ? values.get(setting.fallback) : setting.defaultValue;
    if (fallbackValue !== undefined) values.set(setting.option, fallbackValue);
  }

  return { config: assemble(values, appPackage), warnings };
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

function assemble(values: Map<string, unknown>, appPackage: AppPackage): ResolvedConfig {
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

  const endpoint = get<string>('endpoint');
  const tracesExporters = get<string[]>('tracesExporter').filter((name) => name !== 'none');
  const batchQueue = get<number>('batchMaxQueueSize');

  return {
    serviceName,
    serviceVersion,
    deploymentEnvironment,
    resourceAttributes,
    disabled: get<boolean>('disabled'),
    logLevel: get('logLevel'),
    traces: { exporters: tracesExporters as ResolvedConfig['traces']['exporters'], ...signalExport(values, 'traces', endpoint) },
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
    },
    requestIdHeaders: requestIdHeaders(get<string[]>('requestIdHeaders')),
    trustInboundContext: get('trustInboundContext'),
    contextAllowedHosts: get<string[]>('contextAllowedHosts').map((host) => host.toLowerCase()),
    sampler: get('sampler'),
    samplerArg: get('samplerArg'),
    propagators: get<ResolvedConfig['propagators']>('propagators').filter((name) => name !== 'none'),
    batch: {
      scheduleDelayMillis: get('batchScheduleDelayMillis'),
      maxQueueSize: batchQueue,
      maxQueueBytes: get('exportQueueMaxBytes'),
      // The specification requires the batch to fit in the queue.
      maxExportBatchSize: Math.min(get<number>('batchMaxExportBatchSize'), batchQueue),
      exportTimeoutMillis: get('batchExportTimeoutMillis'),
    },
    limits: {
      attributeValueLengthLimit: get('attributeValueLengthLimit'),
      attributeCountLimit: get('attributeCountLimit'),
    },
    instrumentations: get<ResolvedConfig['instrumentations']>('enabledInstrumentations').filter(
      (name) => !get<string[]>('disabledInstrumentations').includes(name),
    ),
    ignoreIncomingPaths: get('ignoreIncomingPaths'),
    shutdownTimeoutMillis: get('shutdownTimeoutMillis'),
    handleSignals: get('handleSignals'),
  };
}

function signalExport(values: Map<string, unknown>, signal: 'traces' | 'logs' | 'metrics', endpoint: string): SignalExportConfig {
  const get = <T>(option: string): T => values.get(`${signal}${option}`) as T;
  return {
    url: get<string | undefined>('Endpoint') ?? appendSignalPath(endpoint, `v1/${signal}`),
    headers: get('Headers'),
    protocol: get('Protocol'),
    compression: get('Compression'),
    timeoutMillis: get('ExportTimeoutMillis'),
  };
}

function requestIdHeaders(names: string[]): string[] {
  const lower = names.map((name) => name.toLowerCase()).filter((name) => /^[a-z0-9!#$%&'*+.^_`|~-]+$/.test(name));
  return lower.length > 0 ? lower : [REQUEST_ID_HEADER];
}

/** OTLP/HTTP: the shared endpoint gets the signal path appended, with exactly one slash. */
export function appendSignalPath(endpoint: string, signalPath: string): string {
  return endpoint.endsWith('/') ? `${endpoint}${signalPath}` : `${endpoint}/${signalPath}`;
}
