import { dirname, join } from 'node:path';
import type { TracerProvider } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { InstrumentationName, ResolveResult } from '@threadline/core';
import { THREADLINE_VERSION, alreadyLoaded, readSmallFile } from '@threadline/core';
import type { BundleMarker } from '../bundle-detection';
import { packagesLostToBundle } from '../module-coverage';
import { describeConfiguration } from './config-report';
import { WATCHED_PACKAGES, probeInstrumentations } from './instrumentation-probes';
import { loadedCopies, loadedOpenTelemetryPackages } from './loaded-packages';
import type { DoctorReport, PackageCopies, ProbeTarget } from './report-types';
import { describeSampler } from './sampler-report';

/** What is known only at the moment Threadline starts. */
export interface StartState {
  startedBy: DoctorReport['startedBy'];
  mainScript: string | undefined;
  loadedBefore: string[];
}

const REGISTER_KEY = Symbol.for('threadline.started-by-register');

/** Called as `start()` begins: which instrumented packages the app had already loaded. */
export function captureStartState(instrumentations: readonly InstrumentationName[], mainScript: string | undefined): StartState {
  // One name per instrumentation: pg's own load of pg-pool is not news.
  const loadedBefore = instrumentations.flatMap((name) => (WATCHED_PACKAGES[name] ?? []).find((packageName) => alreadyLoaded(packageName)) ?? []);
  const startedBy = (globalThis as Record<symbol, unknown>)[REGISTER_KEY] ? 'register' : 'start()';
  return { startedBy, mainScript, loadedBefore: [...new Set(loadedBefore)] };
}

/** An entry file is an ES module by its extension, or for `.js` by the nearest package.json's `type`. */
function moduleSystemOf(mainScript: string | undefined): DoctorReport['moduleSystem'] {
  if (!mainScript) return 'commonjs';
  if (/\.mjs$/.test(mainScript)) return 'esm';
  if (!/\.js$/.test(mainScript)) return 'commonjs';
  for (let directory = dirname(mainScript); ; directory = dirname(directory)) {
    const text = readSmallFile(join(directory, 'package.json'), 256 * 1024);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'esm' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(directory) === directory) return 'commonjs';
  }
}

/** The API and SDK packages loaded from more than one directory. */
function duplicateCopies(): PackageCopies[] {
  return loadedOpenTelemetryPackages()
    .filter((name) => name === '@opentelemetry/api' || name.startsWith('@opentelemetry/sdk-'))
    .map((name) => ({ name, copies: loadedCopies(name).map((copy) => ({ path: copy.root, version: copy.version })) }))
    .filter((entry) => entry.copies.length > 1);
}

export interface CollectInput {
  resolved: ResolveResult;
  start: StartState;
  bundle: BundleMarker | undefined;
  /** Threadline's tracer provider, to tell whether the global one is ours. */
  provider: TracerProvider | undefined;
}

/**
 * Everything the doctor learns inside the process once start-up settled, except the endpoint
 * probes (network, asynchronous). Synchronous and never throws for a probe's sake: each probe
 * catches its own failure.
 */
export function collectReport({ resolved, start, bundle, provider }: CollectInput): DoctorReport {
  const { config } = resolved;
  const globalProvider = (trace.getTracerProvider() as { getDelegate?: () => TracerProvider }).getDelegate?.();
  const foreignProvider = provider !== undefined && globalProvider !== undefined && globalProvider !== provider;
  return {
    service: config.serviceName,
    threadlineVersion: THREADLINE_VERSION,
    nodeVersion: process.versions.node,
    startedBy: start.startedBy,
    moduleSystem: moduleSystemOf(start.mainScript),
    mainScript: start.mainScript,
    disabled: config.disabled,
    settingWarnings: resolved.warnings,
    instrumentations: config.disabled ? [] : probeInstrumentations(config.instrumentations),
    loadedBefore: start.loadedBefore,
    bundle: bundle && !config.disabled ? { bundler: bundle.bundler, external: [...bundle.external], lost: packagesLostToBundle(config, bundle) } : undefined,
    duplicates: duplicateCopies(),
    foreignTracerProvider: foreignProvider ? (globalProvider.constructor?.name ?? 'unknown') : undefined,
    config: describeConfiguration(resolved),
    endpoints: [],
    sampler: describeSampler(config),
    problems: [],
  };
}

/** The OTLP endpoints to probe, one per signal that exports over OTLP. */
export function probeTargets(resolved: ResolveResult): ProbeTarget[] {
  const { config } = resolved;
  if (config.disabled) return [];
  const signals = [config.traces, config.metrics, config.logs].filter((signal) => (signal.exporters as string[]).includes('otlp'));
  return signals.map((signal) => ({ signal: signal.signal, url: signal.url, protocol: signal.protocol, headers: signal.headers }));
}
