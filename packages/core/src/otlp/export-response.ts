import type { ExportFailures } from '../types';

/** The shape OpenTelemetry's OTLP export delegate expects back from a transport. */
export type ExportResponse =
  | { status: 'success'; data?: Uint8Array }
  | { status: 'failure'; error: Error }
  | { status: 'retryable'; retryInMillis?: number; error?: Error };

export interface ExporterTransport {
  send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse>;
  shutdown(): void;
}

/**
 * An export failure with the HTTP status that caused it (0 for a connection failure) and the
 * `error.type` the `otel.sdk.exporter.*` metrics report: the status, the connection error's
 * code, `timeout`, or another short reason.
 */
export class OtlpExportError extends Error {
  readonly errorType: string;

  constructor(
    message: string,
    readonly code: number,
    readonly data?: string,
    errorType?: string,
  ) {
    super(message);
    this.name = 'OtlpExportError';
    this.errorType = errorType ?? (code > 0 ? String(code) : 'connection_error');
  }
}

/** The `error.type` of a failed export, whatever the failure was. */
export function exportErrorType(error: unknown): string {
  if (error instanceof OtlpExportError) return error.errorType;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : '_OTHER';
}

/** Several exporters' failures as one: the total, and the first last reason there is. */
export function combineExportFailures(failures: Iterable<ExportFailures | { failedExports: number; lastError: string | undefined }>): ExportFailures {
  let count = 0;
  let lastError: string | undefined;
  for (const failure of failures) {
    count += 'count' in failure ? failure.count : failure.failedExports;
    lastError ??= failure.lastError || undefined;
  }
  return { count, lastError };
}
