import type { OtlpProtocol } from '@threadline/core';

/** What a probe found for one instrumentation. */
export type ProbeState = 'patched' | 'subscribed' | 'not patched' | 'not loaded' | 'off';

export interface InstrumentationRow {
  name: string;
  /** The module or Node API it instruments. */
  target: string;
  state: ProbeState;
  /** Where the target module was loaded from, and its version. */
  path?: string;
  version?: string;
  /** What the probe checked, in words. */
  evidence: string;
}

export interface ConfigRow {
  option: string;
  value: string;
  source: 'option' | 'environment' | 'default';
  variable?: string;
}

export type EndpointStatus = 'answers' | 'refused' | 'no answer' | 'protocol mismatch' | 'rejected' | 'unreachable' | 'not probed';

export interface EndpointRow {
  signal: 'traces' | 'metrics' | 'logs';
  url: string;
  protocol: OtlpProtocol;
  status: EndpointStatus;
  detail: string;
}

/** An endpoint to probe, with what the exporter sends (headers stay in the process that probes). */
export interface ProbeTarget {
  signal: EndpointRow['signal'];
  url: string;
  protocol: OtlpProtocol;
  headers: Record<string, string>;
}

export interface PackageCopies {
  name: string;
  copies: { path: string; version?: string }[];
}

export interface Problem {
  id: string;
  message: string;
  fix: string;
}

export interface DoctorReport {
  service: string;
  threadlineVersion: string;
  nodeVersion: string;
  /** `register` (`--import`/`--require @threadline/node/register`) or `start()` in the app's code. */
  startedBy: 'register' | 'start()';
  moduleSystem: 'esm' | 'commonjs';
  mainScript?: string;
  disabled: boolean;
  /** Settings that did not parse, as Threadline warned about them. */
  settingWarnings: string[];
  instrumentations: InstrumentationRow[];
  /** Instrumented packages already loaded when Threadline started. */
  loadedBefore: string[];
  bundle?: { bundler: string; lost: string[]; external: string[] };
  duplicates: PackageCopies[];
  /** The class of the global tracer provider when another SDK registered it instead of Threadline. */
  foreignTracerProvider?: string;
  config: ConfigRow[];
  endpoints: EndpointRow[];
  sampler: {
    description: string;
    ratio: number;
    /** The setting that decides the ratio. */
    decidedBy: 'sampler' | 'samplerArg' | 'samplingRules';
    someRuleKeeps: boolean;
  };
  problems: Problem[];
  /** Threadline's warnings the app printed while the doctor ran, with their catalog entry. */
  printedWarnings?: { line: string; id?: string; fix?: string }[];
}
