import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { Diagnostics, LogLevel } from '@threadline/core';

const DIAG_LEVEL: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Routes OpenTelemetry's own diagnostics and its global error handler (failed exports) into
 * Threadline's rate-limited logger, so a dead collector yields one warning a minute with a
 * count, not a line per batch.
 */
export function routeOpenTelemetryDiagnostics(diagnostics: Diagnostics, level: LogLevel): void {
  const rateLimited = (message: string, args: unknown[]): void =>
    diagnostics.suppressed('opentelemetry', [message, ...args.map(String)].join(' '));
  const logger: DiagLogger = {
    error: (message, ...args) => rateLimited(message, args),
    warn: (message, ...args) => rateLimited(message, args),
    info: (message, ...args) => diagnostics.info([message, ...args.map(String)].join(' ')),
    debug: (message, ...args) => diagnostics.debug([message, ...args.map(String)].join(' ')),
    verbose: (message, ...args) => diagnostics.debug([message, ...args.map(String)].join(' ')),
  };
  diag.setLogger(logger, { logLevel: DIAG_LEVEL[level], suppressOverrideMessage: true });
  setGlobalErrorHandler((error) => diagnostics.suppressed('telemetry export failed', error));
}
