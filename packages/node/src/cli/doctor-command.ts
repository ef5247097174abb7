import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { THREADLINE_VERSION, findWarning } from '@threadline/core';
import { diagnose } from '../doctor/diagnose';
import { probeEndpoint } from '../doctor/endpoint-probe';
import { problem } from '../doctor/problems';
import { renderReport } from '../doctor/render-report';
import type { DoctorReport } from '../doctor/report-types';
import type { DoctorOptions } from './doctor-options';

export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Beyond the wait, the probes (2 s each, in parallel) and writing the report get this long. */
const REPORT_MARGIN_MILLIS = 5000;
const STOP_GRACE_MILLIS = 2000;
const POLL_MILLIS = 50;

/** A report for a command in which no Threadline started. */
function notStartedReport(command: readonly string[], exit: string): DoctorReport {
  return {
    service: command.join(' '),
    threadlineVersion: THREADLINE_VERSION,
    nodeVersion: process.versions.node,
    startedBy: 'start()',
    moduleSystem: 'commonjs',
    disabled: false,
    settingWarnings: [],
    instrumentations: [],
    loadedBefore: [],
    duplicates: [],
    config: [],
    endpoints: [],
    sampler: { description: 'unknown', ratio: 1, decidedBy: 'sampler', someRuleKeeps: false },
    problems: [problem('not-started', `no Threadline started in \`${command.join(' ')}\` (${exit})`)],
  };
}

function readReport(file: string): DoctorReport | undefined {
  try {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DoctorReport) : undefined;
  } catch {
    return undefined;
  }
}

/** Ends the command and everything it started (its own process group), politely first. */
function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  const forced = setTimeout(() => signalGroup('SIGKILL'), STOP_GRACE_MILLIS);
  return exited.then(() => clearTimeout(forced));
}

/** Endpoints the app exited before probing are probed from here, without the app's headers. */
async function probeLeftovers(report: DoctorReport, timeoutMillis: number): Promise<void> {
  report.endpoints = await Promise.all(
    report.endpoints.map(async (row) => {
      if (row.status !== 'not probed') return row;
      const probed = await probeEndpoint({ signal: row.signal, url: row.url, protocol: row.protocol, headers: {} }, timeoutMillis);
      return { ...probed, detail: `${probed.detail} (probed by the doctor after the app exited, without its headers)` };
    }),
  );
}

/**
 * Runs the command with doctor mode on, waits for its report (written once start-up settled:
 * it listens, the wait passed, or it exits), stops it, and prints the report. Returns the exit
 * code: 1 with --strict when there are problems, 2 when the command could not run.
 */
export async function runDoctor(options: DoctorOptions, output: CommandOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'threadline-doctor-'));
  const file = join(directory, 'report.json');
  const [executable, ...args] = options.command;
  const child = spawn(executable!, args, {
    env: { ...env, THREADLINE_DOCTOR: '1', THREADLINE_DOCTOR_REPORT: file, THREADLINE_DOCTOR_WAIT: String(options.waitMillis) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it also stops what it started (`npm start` -> node).
    detached: true,
  });
  const printed: string[] = [];
  let pending = '';
  // The app's own output goes to stderr, so that --json output stays parseable.
  child.stdout?.on('data', (chunk: Buffer) => output.stderr(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr(chunk.toString());
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    printed.push(...lines.filter((line) => /^threadline (warn|error): /.test(line)));
  });
  let spawnError: Error | undefined;
  const exited = new Promise<string>((resolve) => {
    child.on('error', (error) => {
      spawnError = error;
      resolve(error.message);
    });
    child.on('exit', (code, signal) => resolve(signal ? `ended by ${signal}` : `exited with code ${code}`));
  });
  let exit: string | undefined;
  void exited.then((how) => (exit = how));

  const deadline = Date.now() + options.waitMillis + REPORT_MARGIN_MILLIS;
  let report = readReport(file);
  while (!report && exit === undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MILLIS));
    report = readReport(file);
  }
  report ??= readReport(file);
  await stop(child, exited);
  rmSync(directory, { recursive: true, force: true });
  if (spawnError) {
    output.stderr(`threadline doctor: could not run ${executable}: ${spawnError.message}\n`);
    return 2;
  }

  if (report) {
    await probeLeftovers(report, options.probeTimeoutMillis);
    report.problems = diagnose(report);
  } else {
    report = notStartedReport(options.command, exit ?? `no report within ${options.waitMillis + REPORT_MARGIN_MILLIS} ms`);
  }
  report.printedWarnings = printed.map((line) => {
    const entry = findWarning(line);
    return { line, id: entry?.id, fix: entry?.fix };
  });
  output.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return options.strict && report.problems.length > 0 ? 1 : 0;
}
