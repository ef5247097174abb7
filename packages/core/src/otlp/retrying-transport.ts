import type { ExportResponse, ExporterTransport } from './export-response';
import { remainingExitMillis } from '../exit-state';
import type { SignalExportConfig } from '../types';
import { createOtlpHttpTransport } from './http-transport';
import type { RetryPolicy } from './retry-policy';
import { DEFAULT_RETRY_POLICY, retryDelayMillis } from './retry-policy';

export type { RetryPolicy } from './retry-policy';

/**
 * Retries retryable outcomes with exponential backoff and jitter, honouring a server's
 * Retry-After, all within the one export timeout. The wait timers are unref'd, and once the
 * process is exiting there is a single attempt bounded by the exit deadline.
 */
export function createRetryingTransport(inner: ExporterTransport, policy: RetryPolicy = DEFAULT_RETRY_POLICY): ExporterTransport {
  return {
    async send(data, timeoutMillis) {
      const exitMillis = remainingExitMillis();
      if (exitMillis !== undefined) {
        return inner.send(data, timeoutMillis > 0 ? Math.min(timeoutMillis, exitMillis) : exitMillis);
      }
      const deadline = timeoutMillis > 0 ? Date.now() + timeoutMillis : Infinity;
      let result: ExportResponse = await inner.send(data, timeoutMillis);
      for (let attempt = 1; attempt < policy.maxAttempts && result.status === 'retryable'; attempt++) {
        const wait = retryDelayMillis(policy, attempt, result.retryInMillis);
        const remaining = deadline - Date.now();
        if (wait >= remaining) return result;
        await sleepUnref(wait);
        result = await inner.send(data, Number.isFinite(deadline) ? Math.max(1, deadline - Date.now()) : 0);
      }
      return result;
    },
    shutdown() {
      inner.shutdown();
    },
  };
}

function sleepUnref(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis).unref());
}

/** The transport for one signal's export settings: OTLP/HTTP per its protocol, with retries. */
export function createSignalTransport(config: SignalExportConfig): ExporterTransport {
  return createRetryingTransport(
    createOtlpHttpTransport({
      url: config.url,
      contentType: config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      headers: config.headers,
      compression: config.compression,
    }),
  );
}
