import type { TracerProvider } from '@opentelemetry/api';
import type { Diagnostics, ExportFailures, LifecycleResult, ResolvedConfig, ThreadlineOptions } from '@threadline/core';
import {
  DEFAULT_EXPORT_TIMEOUT_MILLIS,
  abortInFlightExports,
  combineExportFailures,
  createDiagnostics,
  createResourceAttributes,
  describeError,
  getGlobalState,
  guardedLoad,
  installProcessHooks,
  markExiting,
  provideAppModules,
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
import type { BundleMarker } from './bundle-detection';
import { awaitBundleMarker, detectBundle, storedBundleMarker } from './bundle-detection';
import { recordCrash } from './crash-record';
import { captureStartState } from './doctor/collect-report';
import { runDoctorMode } from './doctor/doctor-mode';
import { logger, registerLogging } from './logger';
import { reportModuleCoverage } from './module-coverage';
import { withInstalledPackages } from './optional-packages';
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
    // `modules` is what an app started by `--import` can still add (see instrumentModules).
    const { modules, ...others } = options;
    if (modules) instrumentModules(modules);
    if (Object.keys(others).length > 0 || !modules) {
      existing.diagnostics.warnOnce('start-twice', 'start() was called more than once; keeping the first configuration');
    }
    return existing.handle;
  }
  const resolved = resolveConfig(options, process.env, readAppPackage());
  const diagnostics = createDiagnostics(resolved.config.logLevel);
  for (const warning of resolved.warnings) diagnostics.warn(warning);
  const config = resolved.config.disabled ? resolved.config : withInstalledPackages(resolved.config, diagnostics);
  // Before anything is hooked: which of the app's modules were already loaded.
  const doctorStart = config.doctor.enabled ? guardedLoad(diagnostics, 'the doctor report', () => captureStartState(config.instrumentations, process.argv[1])) : undefined;

  let handle: ThreadlineHandle;
  let provider: TracerProvider | undefined;
  try {
    handle = config.disabled ? createDisabledHandle(config) : createRunningHandle(config, diagnostics, options.modules, (started) => (provider = started));
  } catch (error) {
    diagnostics.error(`could not start; telemetry is off for this process: ${describeError(error)}`);
    handle = createDisabledHandle(config);
  }
  setGlobalState(HANDLE_KEY, { handle, diagnostics });
  if (doctorStart) {
    const bundle = (): BundleMarker | undefined => storedBundleMarker() ?? detectBundle(ownModule(), process.argv[1]);
    guardedLoad(diagnostics, 'the doctor report', () => runDoctorMode({ resolved: { ...resolved, config }, start: doctorStart, provider, bundle, diagnostics }));
  }
  return handle;
}

/** This file's CommonJS module, which is not a Node module when a bundler wrapped Threadline. */
function ownModule(): unknown {
  return typeof module === 'undefined' ? undefined : module;
}

/**
 * Instruments clients and loggers bundled into the app, from their exports
 * (`instrumentModules({ pg, pino })`); the same as `start({ modules })`, for an app started
 * with `--import`/`--require`. Call it before creating loggers and clients. Never throws.
 */
export function instrumentModules(modules: ThreadlineOptions['modules']): void {
  provideAppModules(modules);
  const started = getGlobalState<{ handle: ThreadlineHandle; diagnostics: Diagnostics }>(HANDLE_KEY);
  if (started) reportModuleCoverage(started.handle.config, started.diagnostics, undefined);
}

function createRunningHandle(
  config: ResolvedConfig,
  diagnostics: Diagnostics,
  modules: ThreadlineOptions['modules'],
  onProvider: (provider: TracerProvider) => void,
): ThreadlineHandle {
  const resourceAttributes = createResourceAttributes(config);
  const metrics = createMetrics(config, resourceAttributes, diagnostics);
  const tracing = createTracing(config, resourceAttributes, diagnostics, [metrics.spanProcessor]);
  onProvider(tracing.provider);
  const logs = setUpLogCorrelation(config, resourceAttributes, diagnostics);
  registerLogging(config, logs.pipeline.sink, logs.policy);
  provideAppModules(modules);
  scheduleCoverageReport(config, diagnostics);
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

/**
 * Without a plugin's marker, the report waits this long: an ES module app started with
 * `--import` is evaluated after a few turns of the event loop, and its top-level code may
 * still hand modules over.
 */
const COVERAGE_REPORT_DELAY_MILLIS = 1000;

/**
 * Reports once, after the app's top-level code ran, so that the modules it hands over count:
 * right after a Threadline plugin's footer (the end of the bundle's top-level code) when there
 * is one, else after a delay. The report is said once; the timer never holds the process open.
 */
function scheduleCoverageReport(config: ResolvedConfig, diagnostics: Diagnostics): void {
  let reported = false;
  const reportSoon = (bundle: BundleMarker | undefined, delayMillis: number) =>
    setTimeout(() => {
      if (reported) return;
      reported = true;
      reportModuleCoverage(config, diagnostics, bundle);
    }, delayMillis).unref();
  const stored = storedBundleMarker();
  if (stored) {
    reportSoon(stored, 0);
    return;
  }
  const fallback = reportSoon(detectBundle(ownModule(), process.argv[1]), COVERAGE_REPORT_DELAY_MILLIS);
  awaitBundleMarker((marker) => {
    clearTimeout(fallback);
    reportSoon(marker, 0);
  });
}

function createDisabledHandle(config: ResolvedConfig): ThreadlineHandle {
  const disabled = (): Promise<LifecycleResult> => Promise.resolve({ status: 'disabled', durationMillis: 0 });
  return { config, forceFlush: disabled, shutdown: disabled };
}
