import type { Diagnostics, ExportFailures, LifecycleResult, ResolvedConfig, ThreadlineOptions } from '@threadline/core';
import {
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  abortInFlightExports,
  combineExportFailures,
  createDiagnostics,
  createResourceAttributes,
  describeError,
  getGlobalState,
  installProcessHooks,
  markExiting,
  readAppPackage,
  remainingExitMillis,
  resolveConfig,
  runWithDeadline,
  sendAtExit,
  setGlobalState,
} from '@threadline/core';
import { setUpLogCorrelation } from '@threadline/log-correlation';
import { createMetrics } from '@threadline/metrics';
import { createTracing } from '@threadline/tracing';
import { recordCrash } from './crash-record';
import { logger, registerLogging } from './logger';
import { routeOpenTelemetryDiagnostics } from './otel-diagnostics';
import type { ThreadlineHandle } from './types';

const HANDLE_KEY = 'handle';

/**
 * The handle of the Threadline running in this process, however it was started (`start()`,
 * `--import` or `--require @threadline/node/register`), or undefined before it starts. Getting
 * it this way never starts a second one.
 */
export function getTelemetry(): ThreadlineHandle | undefined {
  return getGlobalState<{ handle: ThreadlineHandle }>(HANDLE_KEY)?.handle;
}

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
  const resourceAttributes = createResourceAttributes(config);
  const metrics = createMetrics(config, resourceAttributes, diagnostics);
  const tracing = createTracing(config, resourceAttributes, diagnostics, [metrics.spanProcessor]);
  const logs = setUpLogCorrelation(config, resourceAttributes, diagnostics);
  registerLogging(config, logs.pipeline.sink);
  const signals = [tracing, logs.pipeline, metrics];
  const exportFailures = (): ExportFailures => combineExportFailures(signals.map((signal) => signal.exportFailures()));
  const flushAll = (): Promise<void> => Promise.all(signals.map((signal) => signal.forceFlush())).then(() => undefined);
  const shutdownAll = (): Promise<void> => {
    logs.uninstall();
    return Promise.all(signals.map((signal) => signal.shutdown())).then(() => undefined);
  };
  // Routed after registration: a provider registered before ours is reported once, in our
  // words, instead of also as the API's "duplicate registration" error.
  routeOpenTelemetryDiagnostics(diagnostics, config.logLevel);

  /** Runs a lifecycle step within the deadline; a step during which an export failed reports `failed`. */
  const measured = async (step: () => Promise<void>): Promise<LifecycleResult> => {
    const failuresBefore = exportFailures().count;
    const result = await runWithDeadline(step, config.shutdownTimeoutMillis);
    const failures = exportFailures();
    if (result.status === 'ok' && failures.count > failuresBefore) {
      return { status: 'failed', durationMillis: result.durationMillis, error: failures.lastError };
    }
    return result;
  };

  let shutdownResult: Promise<LifecycleResult> | undefined;
  const shutdown = (): Promise<LifecycleResult> => {
    shutdownResult ??= (() => {
      markExiting(config.shutdownTimeoutMillis);
      return measured(shutdownAll).then((result) => {
        // The hooks stay until the shutdown is over: a process.exit() meanwhile still sends
        // what is left, from the exit event.
        removeHooks();
        // Past the deadline, an export still waiting for its answer would only hold the process open.
        if (result.status === 'timeout') abortInFlightExports();
        diagnostics.reportHeldBack();
        return result;
      });
    })();
    return shutdownResult;
  };

  /**
   * The exit event: whoever ends the process, what finished before it is sent, synchronously,
   * within what is left of the shutdown deadline; what could not be is said in one line.
   */
  const sendUndeliveredAtExit = (): void => {
    const undelivered = signals.flatMap((signal) => signal.takeForExit?.() ?? []);
    if (undelivered.length > 0) {
      // 0 means no limit, which an exit cannot have: then the export timeout bounds it.
      const limit = config.shutdownTimeoutMillis || config.traces.timeoutMillis || DEFAULT_EXPORT_TIMEOUT_MILLIS;
      const timeoutMillis = Math.min(limit, remainingExitMillis() ?? limit);
      const { lost } = sendAtExit(undelivered, timeoutMillis);
      if (lost.size > 0) {
        const what = [...lost].map(([kind, count]) => `${count} ${kind}`).join(', ');
        diagnostics.warn(`the process exited before ${what} could be sent (within ${timeoutMillis} ms); they are lost`);
      }
    }
    diagnostics.reportHeldBack();
  };
  const forceFlush = (): Promise<LifecycleResult> =>
    shutdownResult ? shutdownResult : measured(flushAll);

  const removeHooks = installProcessHooks({
    handleSignals: config.handleSignals,
    timeoutMillis: config.shutdownTimeoutMillis,
    flush: flushAll,
    shutdown: () => shutdown(),
    hasPendingWork: () => signals.some((signal) => signal.hasPendingWork()),
    onExit: sendUndeliveredAtExit,
    onUncaught: (error, origin) => recordCrash(logger, error, origin),
    diagnostics,
  });
  diagnostics.debug(`started for service ${config.serviceName}; traces to ${config.traces.exporters.join(',') || 'nowhere'}`);
  return { config, forceFlush, shutdown };
}

function createDisabledHandle(config: ResolvedConfig): ThreadlineHandle {
  const disabled = (): Promise<LifecycleResult> => Promise.resolve({ status: 'disabled', durationMillis: 0 });
  return { config, forceFlush: disabled, shutdown: disabled };
}
