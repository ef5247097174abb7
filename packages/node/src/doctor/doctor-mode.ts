import { renameSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import type { TracerProvider } from '@opentelemetry/api';
import type { Diagnostics, ResolveResult } from '@threadline/core';
import { createDiagnostics, describeError, guard, redactUrl } from '@threadline/core';
import type { BundleMarker } from '../bundle-detection';
import type { StartState } from './collect-report';
import { collectReport, probeTargets } from './collect-report';
import { diagnose } from './diagnose';
import { probeEndpoint } from './endpoint-probe';
import { renderReport } from './render-report';
import type { DoctorReport } from './report-types';

/** After the first server listens, other start-up work (a second server, a pool) gets this long. */
const SETTLE_AFTER_LISTEN_MILLIS = 200;

export interface DoctorModeInput {
  resolved: ResolveResult;
  start: StartState;
  provider: TracerProvider | undefined;
  /** Read when the report is made: a plugin's footer may only run at the end of the bundle. */
  bundle: () => BundleMarker | undefined;
  diagnostics: Diagnostics;
}

/** Calls `onListen` the first time any server of the process listens; returns the function that stops watching. */
function watchFirstListen(onListen: () => void): () => void {
  const prototype = net.Server.prototype as { listen: (...args: unknown[]) => unknown };
  const original = prototype.listen;
  const watching = function (this: net.Server, ...args: unknown[]): unknown {
    this.once('listening', onListen);
    return original.apply(this, args);
  };
  prototype.listen = watching;
  return () => {
    if (prototype.listen === watching) prototype.listen = original;
  };
}

/**
 * `THREADLINE_DOCTOR=1`: once start-up settled (the app listens, `doctorWaitMillis` passed, or
 * it exits), checks the setup and reports once: as JSON to `doctorReportFile` for
 * `threadline doctor`, else as a table on stderr, through a diagnostics logger of its own (the
 * report was asked for, whatever `OTEL_LOG_LEVEL` says). Never throws into the app.
 */
export function runDoctorMode(input: DoctorModeInput): void {
  const { config } = input.resolved;
  let collected: DoctorReport | undefined;
  let delivered = false;

  const collect = (): DoctorReport => (collected ??= collectReport({ ...input, bundle: input.bundle() }));
  const deliver = (report: DoctorReport): void => {
    if (delivered) return;
    delivered = true;
    report.problems = diagnose(report);
    const file = config.doctor.reportFile;
    if (file) {
      // Written whole, then renamed, so the command never reads half a report.
      writeFileSync(`${file}.partial`, JSON.stringify(report));
      renameSync(`${file}.partial`, file);
    } else {
      createDiagnostics('info').info(`doctor report\n${renderReport(report)}`);
    }
  };

  const settle = guard(input.diagnostics, 'the doctor report', () => {
    stopWatching();
    clearTimeout(timer);
    if (collected) return;
    const report = collect();
    const targets = probeTargets(input.resolved);
    Promise.all(targets.map((target) => probeEndpoint(target)))
      .then((rows) => {
        report.endpoints = rows;
        deliver(report);
      })
      .catch((error: unknown) => input.diagnostics.warn(`the doctor report failed: ${describeError(error)}`));
  });
  // The app exits before start-up settled, or while the endpoints are being probed: report what is known.
  const onExit = guard(input.diagnostics, 'the doctor report', () => {
    const report = collect();
    if (report.endpoints.length === 0) {
      report.endpoints = probeTargets(input.resolved).map((target) => ({ signal: target.signal, url: redactUrl(target.url), protocol: target.protocol, status: 'not probed' as const, detail: 'the app exited before start-up settled' }));
    }
    deliver(report);
  });

  const stopWatching = watchFirstListen(() => setTimeout(settle, SETTLE_AFTER_LISTEN_MILLIS).unref());
  const timer = setTimeout(settle, config.doctor.waitMillis).unref();
  process.once('exit', onExit);
}
