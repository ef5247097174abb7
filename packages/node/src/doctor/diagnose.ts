import type { InstrumentationName } from '@threadline/core';
import { WATCHED_PACKAGES } from './instrumentation-probes';
import type { DoctorReport, EndpointRow, Problem } from './report-types';
import type { ProblemId } from './problems';
import { problem } from './problems';

const ENDPOINT_PROBLEMS: Partial<Record<EndpointRow['status'], ProblemId>> = {
  refused: 'endpoint-refused',
  unreachable: 'endpoint-unreachable',
  'no answer': 'endpoint-silent',
  'protocol mismatch': 'protocol-mismatch',
  rejected: 'endpoint-rejects',
};

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The command that starts this entry file with the hook, for the fixes. */
function hookCommand(report: DoctorReport): string {
  const main = report.mainScript ? report.mainScript.split(/[\\/]/).pop() : 'app.js';
  return report.moduleSystem === 'esm' ? `node --import @threadline/node/register ${main}` : `node --require @threadline/node/register ${main}`;
}

function endpointFix(row: EndpointRow, id: ProblemId): string | undefined {
  if (id !== 'protocol-mismatch') return undefined;
  return row.protocol === 'grpc'
    ? `this port speaks OTLP/HTTP: set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, or point the endpoint at the collector's gRPC port (usually 4317)`
    : `this port speaks OTLP/gRPC: set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or point the endpoint at the collector's HTTP port (usually 4318)`;
}

/** Every problem the report shows, each with its fix. */
export function diagnose(report: DoctorReport): Problem[] {
  const problems: Problem[] = [];
  if (report.disabled) problems.push(problem('disabled', 'OTEL_SDK_DISABLED (or the disabled option) is true: nothing is instrumented or exported'));
  for (const warning of report.settingWarnings) problems.push(problem('invalid-setting', warning));
  const esmWithoutHook = report.moduleSystem === 'esm' && report.startedBy === 'start()';
  if (esmWithoutHook) {
    const lost = report.loadedBefore.length > 0 ? `: ${list(report.loadedBefore)} loaded before it` : '';
    problems.push(problem('esm-without-hook', `this ES module app calls start() in its own code, after its static imports ran${lost}`, `start it with ${hookCommand(report)}`));
  }
  if (report.loadedBefore.length > 0) {
    const fix = report.moduleSystem === 'esm' ? `start it with ${hookCommand(report)}` : `start it with ${hookCommand(report)}, or call start() before any other require`;
    problems.push(problem('loaded-before-start', `${list(report.loadedBefore)} ${report.loadedBefore.length === 1 ? 'was' : 'were'} loaded before Threadline started, so ${report.loadedBefore.length === 1 ? 'it is' : 'they are'} not instrumented`, fix));
  }
  const early = new Set(report.loadedBefore);
  for (const row of report.instrumentations) {
    if (row.state !== 'not patched' || (WATCHED_PACKAGES[row.name as InstrumentationName] ?? []).some((name) => early.has(name))) continue;
    problems.push(problem('not-patched', `${row.target}${row.version ? ` ${row.version}` : ''} is loaded${row.path ? ` from ${row.path}` : ''}, but ${row.evidence}`));
  }
  if (report.bundle && report.bundle.lost.length > 0) {
    problems.push(problem('bundled-app', `this app is bundled (${report.bundle.bundler}): ${list(report.bundle.lost)} ${report.bundle.lost.length === 1 ? 'is' : 'are'} not instrumented if bundled into it`));
  }
  for (const duplicate of report.duplicates) {
    const where = duplicate.copies.map((copy) => `${copy.path}${copy.version ? ` (${copy.version})` : ''}`).join(' and ');
    problems.push(problem(duplicate.name === '@opentelemetry/api' ? 'duplicate-api' : 'duplicate-sdk', `${duplicate.copies.length} copies of ${duplicate.name} are loaded: ${where}`));
  }
  if (report.foreignTracerProvider) {
    problems.push(problem('duplicate-sdk', `the global tracer provider is another SDK's (${report.foreignTracerProvider}), not Threadline's: spans made through @opentelemetry/api go to it`));
  }
  for (const row of report.endpoints) {
    const id = ENDPOINT_PROBLEMS[row.status];
    if (id) problems.push(problem(id, `${row.signal} endpoint ${row.url} (${row.protocol}): ${row.detail}`, endpointFix(row, id)));
  }
  if (report.sampler.ratio === 0 && !report.sampler.someRuleKeeps && !report.disabled) {
    const source = report.config.find((row) => row.option === report.sampler.decidedBy);
    const from = source?.variable ? ` (${source.variable}=${source.value})` : source?.source === 'option' ? ` (start({ ${source.option}: ${source.value} }))` : '';
    problems.push(problem('sampler-zero', `the sampler keeps 0% of the traces that start here: ${report.sampler.description}${from}`));
  }
  return problems;
}
