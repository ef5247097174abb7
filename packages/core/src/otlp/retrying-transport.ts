import type { ExportResponse, ExporterTransport } from './export-response';
import { remainingExitMillis } from '../exit-state';
import type { SignalExportConfig } from '../types';
import { createGrpcSignalTransport } from './grpc-signal-transport';
import { createOtlpHttpTransport } from './http-transport';

export interface RetryPolicy {
  maxAttempts: number;
  initialBackoffMillis: number;
  maxBackoffMillis: number;
  backoffMultiplier: number;
  /** Fraction of the backoff added or removed at random, so that many clients do not retry in step. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMillis: 1000,
  maxBackoffMillis: 5000,
  backoffMultiplier: 1.5,
  jitter: 0.2,
};

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
      let backoff = policy.initialBackoffMillis;
      let result: ExportResponse = await inner.send(data, timeoutMillis);
      for (let attempt = 1; attempt < policy.maxAttempts && result.status === 'retryable'; attempt++) {
        const jittered = Math.min(backoff, policy.maxBackoffMillis) * (1 + (Math.random() * 2 - 1) * policy.jitter);
        const wait = result.retryInMillis ?? jittered;
        backoff *= policy.backoffMultiplier;
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

/** The transport for one signal's export settings: OTLP/HTTP or OTLP/gRPC per its protocol, with retries. */
export function createSignalTransport(config: SignalExportConfig): ExporterTransport {
  if (config.protocol === 'grpc') return createRetryingTransport(createGrpcSignalTransport(config));
  return createRetryingTransport(
    createOtlpHttpTransport({
      url: config.url,
      contentType: config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf',
      headers: config.headers,
      compression: config.compression,
    }),
  );
}
