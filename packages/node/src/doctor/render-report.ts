import type { DoctorReport } from './report-types';

/** Rows as columns padded to their widest cell; the last column is left as it is. */
function table(header: readonly string[], rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

const SHOWN_SETTINGS = new Set(['serviceName', 'tracesEndpoint', 'metricsEndpoint', 'logsEndpoint', 'protocol', 'tracesExporter', 'metricsExporter', 'logsExporter', 'sampler', 'samplerArg']);

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** The report as the one table `threadline doctor` prints. */
export function renderReport(report: DoctorReport): string {
  const started = report.startedBy === 'register' ? 'started by @threadline/node/register' : 'started by start() in code';
  const lines = [
    `Threadline doctor: ${report.service} (Threadline ${report.threadlineVersion}, Node ${report.nodeVersion}, ${report.moduleSystem === 'esm' ? 'ES module' : 'CommonJS'} app, ${started})`,
    '',
    'Instrumentations',
    ...table(
      ['name', 'target', 'state', 'version', 'evidence / path'],
      report.instrumentations.map((row) => [row.name, row.target, row.state, row.version ?? '', row.path ? `${row.evidence}; ${row.path}` : row.evidence]),
    ),
    '',
    `Loaded before Threadline: ${report.loadedBefore.join(', ') || 'none'}`,
    `Bundle: ${report.bundle ? `${report.bundle.bundler}; not instrumented: ${report.bundle.lost.join(', ') || 'none'}; external: ${report.bundle.external.join(', ') || 'none'}` : 'not bundled'}`,
    `OpenTelemetry copies: ${report.duplicates.length === 0 ? 'one of each' : report.duplicates.map((entry) => `${entry.name} x${entry.copies.length}`).join(', ')}`,
    `Sampler: ${report.sampler.description}; keeps ${percent(report.sampler.ratio)} of the traces that start here`,
    '',
    'Endpoints',
    ...(report.endpoints.length === 0
      ? ['  none exported over OTLP']
      : table(['signal', 'url', 'protocol', 'status', 'detail'], report.endpoints.map((row) => [row.signal, row.url, row.protocol, row.status, row.detail]))),
    '',
  ];
  // The doctor's own settings are how this report was asked for, not part of the setup.
  const shown = report.config.filter((row) => !row.option.startsWith('doctor') && (row.source !== 'default' || SHOWN_SETTINGS.has(row.option)));
  lines.push(
    `Configuration (${report.config.length - shown.length} more settings at their defaults; --json lists all)`,
    ...table(['setting', 'value', 'source'], shown.map((row) => [row.option, row.value || '(unset)', row.variable ? `environment ${row.variable}` : row.source])),
    '',
  );
  if (report.printedWarnings && report.printedWarnings.length > 0) {
    lines.push(`Warnings printed during start-up (${report.printedWarnings.length})`);
    for (const warning of report.printedWarnings) lines.push(`  ${warning.line}`, ...(warning.fix ? [`      [${warning.id}] fix: ${warning.fix}`] : []));
    lines.push('');
  }
  if (report.problems.length === 0) {
    lines.push('No problems found.');
  } else {
    lines.push(`Problems (${report.problems.length})`);
    for (const found of report.problems) lines.push(`  [${found.id}] ${found.message}`, `      fix: ${found.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
