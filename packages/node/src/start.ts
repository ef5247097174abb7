import type { Diagnostics, LifecycleResult, ResolvedConfig, ThreadlineOptions } from '@threadline/core';
import {
  createDiagnostics,
  createResourceAttributes,
  describeError,
  getGlobalState,
  installProcessHooks,
  markExiting,
  readAppPackage,
  resolveConfig,
  runWithDeadline,
  setGlobalState,
} from '@threadline/core';
import { createTracing } from '@threadline/tracing';
import { routeOpenTelemetryDiagnostics } from './otel-diagnostics';
import type { ThreadlineHandle } from './types';

const HANDLE_KEY = 'handle';

/**
 * Starts Threadline: resolves the configuration once, builds tracing, installs the shutdown
 * hooks. Never throws; a second call warns once and returns the first handle.
 */
export function start(options: ThreadlineOptions = {}): ThreadlineHandle {
  const existing = getGlobalState<{ handle: ThreadlineHandle; diagnostics: Diagnostics }>(HANDLE_KEY);
  if (existing) {
    existing.diagnostics.warnOnce('start-twice', 'start() was called more than once; keeping the first configuration');
    return existing.handle;
  }
  const { config, warnings } = resolveConfig(options, process.env, readAppPackage());
  const diagnostics = createDiagnostics(config.logLevel);
  for (const warning of warnings) diagnostics.warn(warning);

  let handle: ThreadlineHandle;
  try {
    handle = config.disabled ? createDisabledHandle(config) : createRunningHandle(config, diagnostics);
  } catch (error) {
    diagnostics.error(`could not start; telemetry is off for this process: ${describeError(error)}`);
    handle = createDisabledHandle(config);
  }
  setGlobalState(HANDLE_KEY, { handle, diagnostics });
  return handle;
}

function createRunningHandle(config: ResolvedConfig, diagnostics: Diagnostics): ThreadlineHandle {
  const tracing = createTracing(config, createResourceAttributes(config), diagnostics);
  // Routed after registration: a provider registered before ours is reported once, in our
  // words, instead of also as the API's "duplicate registration" error.
  routeOpenTelemetryDiagnostics(diagnostics, config.logLevel);

  /** Runs a lifecycle step within the deadline; a step during which an export failed reports `failed`. */
  const measured = async (step: () => Promise<void>): Promise<LifecycleResult> => {
    const failuresBefore = tracing.exportFailures().count;
    const result = await runWithDeadline(step, config.shutdownTimeoutMillis);
    const failures = tracing.exportFailures();
    if (result.status === 'ok' && failures.count > failuresBefore) {
      return { status: 'failed', durationMillis: result.durationMillis, error: failures.lastError };
    }
    return result;
  };

  let shutdownResult: Promise<LifecycleResult> | undefined;
  const shutdown = (): Promise<LifecycleResult> => {
    shutdownResult ??= (() => {
      removeHooks();
      markExiting(config.shutdownTimeoutMillis);
      return measured(() => tracing.shutdown());
    })();
    return shutdownResult;
  };
  const forceFlush = (): Promise<LifecycleResult> =>
    shutdownResult ? shutdownResult : measured(() => tracing.forceFlush());

  const removeHooks = installProcessHooks({
    handleSignals: config.handleSignals,
    timeoutMillis: config.shutdownTimeoutMillis,
    flush: () => tracing.forceFlush(),
    shutdown: () => shutdown(),
    hasPendingWork: () => tracing.hasPendingWork(),
    diagnostics,
  });
  diagnostics.debug(`started for service ${config.serviceName}; traces to ${config.traces.exporters.join(',') || 'nowhere'}`);
  return { config, forceFlush, shutdown };
}

function createDisabledHandle(config: ResolvedConfig): ThreadlineHandle {
  const disabled = (): Promise<LifecycleResult> => Promise.resolve({ status: 'disabled', durationMillis: 0 });
  return { config, forceFlush: disabled, shutdown: disabled };
}
