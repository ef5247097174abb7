import type { ExportResponse } from './export-response';
import { OtlpExportError } from './export-response';
import { parseRetryAfter } from './retry-after';

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

/** OTLP/HTTP: the only statuses worth another attempt. */
export const RETRYABLE_HTTP_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504]);
/** Connections that were lost or refused (a collector restarting, a load balancer between pods). */
export const RETRYABLE_CONNECTION_ERRORS: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/**
 * The wait before attempt `retry` (1 for the first retry): the server's `retryAfterMillis`
 * when it gave one, else exponential backoff capped at `maxBackoffMillis`, with jitter.
 * Shared by every OTLP transport so HTTP and gRPC back off alike.
 */
export function retryDelayMillis(policy: RetryPolicy, retry: number, retryAfterMillis?: number, random = Math.random): number {
  if (retryAfterMillis !== undefined) return retryAfterMillis;
  const backoff = Math.min(policy.initialBackoffMillis * policy.backoffMultiplier ** (retry - 1), policy.maxBackoffMillis);
  return backoff * (1 + (random() * 2 - 1) * policy.jitter);
}

/**
 * What an OTLP/HTTP answer means for the exporter: success for 2xx (a partial success
 * included: the spec forbids retrying it), retryable for 429/502/503/504 (with Retry-After in
 * seconds or as an HTTP date), a failure for everything else.
 */
export function classifyHttpResponse(status: number, retryAfter: string | undefined, body: Uint8Array | undefined, now = Date.now()): ExportResponse {
  if (status >= 200 && status < 300) return { status: 'success', data: body };
  const text = body ? Buffer.from(body).toString('utf8', 0, Math.min(body.byteLength, 512)) : '';
  const error = new OtlpExportError(`export failed with HTTP ${status}`, status, text);
  if (RETRYABLE_HTTP_STATUS.has(status)) return { status: 'retryable', retryInMillis: parseRetryAfter(retryAfter, now), error };
  return { status: 'failure', error };
}

/** A request that never got an answer: retryable when the connection was lost or refused. */
export function classifyConnectionError(error: NodeJS.ErrnoException): ExportResponse {
  const wrapped = new OtlpExportError(error.message, 0);
  const lost = (error.code !== undefined && RETRYABLE_CONNECTION_ERRORS.has(error.code)) || error.message === 'socket hang up';
  return lost ? { status: 'retryable', error: wrapped } : { status: 'failure', error: wrapped };
}
