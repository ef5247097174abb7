import type { ResolveResult } from '@threadline/core';
import { REDACTED_VALUE, SETTINGS, createFieldRedactor, redactUrl } from '@threadline/core';
import type { ConfigRow } from './report-types';

/** Values read off the assembled configuration where the setting itself is derived. */
function derivedValues(result: ResolveResult): Record<string, string> {
  const { config } = result;
  return {
    serviceName: config.serviceName,
    serviceVersion: config.serviceVersion ?? '',
    tracesEndpoint: config.traces.url,
    metricsEndpoint: config.metrics.url,
    logsEndpoint: config.logs.url,
  };
}

function text(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([key, item]) => `${key}=${String(item)}`).join(',');
  return String(value);
}

/**
 * Every setting with its value and where it came from. Secrets are masked by the redaction
 * policy: header values always (exporter headers are credentials: API keys, bearer tokens), URL
 * credentials and signed query keys, and any value whose name is a secret's
 * (`THREADLINE_REDACT_KEYS`).
 */
export function describeConfiguration(result: ResolveResult): ConfigRow[] {
  const redactor = createFieldRedactor(result.config.redactKeys);
  const derived = derivedValues(result);
  return SETTINGS.map((setting) => {
    const raw = result.values[setting.option];
    let value: string;
    if (/headers$/i.test(setting.option) && setting.isMap) {
      value = Object.keys((raw as Record<string, string> | undefined) ?? {}).map((key) => `${key}=${REDACTED_VALUE}`).join(',');
    } else if (setting.isMap) {
      const entries = Object.entries((raw as Record<string, string> | undefined) ?? {});
      value = entries.map(([key, item]) => `${key}=${redactor.isSecret(key) ? REDACTED_VALUE : item}`).join(',');
    } else if (redactor.isSecret(setting.option)) {
      value = raw === undefined ? '' : REDACTED_VALUE;
    } else {
      value = raw === undefined ? (derived[setting.option] ?? '') : text(raw);
      if (/endpoint$/i.test(setting.option)) value = redactUrl(value);
    }
    const source = result.sources[setting.option] ?? { from: 'default' as const };
    return { option: setting.option, value, source: source.from, ...(source.from === 'environment' ? { variable: source.variable } : {}) };
  });
}
