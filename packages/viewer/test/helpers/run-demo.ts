import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const DEMO = join(REPOSITORY_ROOT, 'examples', 'incident', 'run.mjs');

export interface Findings {
  accountType: string | null;
  flag: string | null;
  service: string | null;
  version: string | null;
  mode: string | null;
}

export interface DemoReport {
  seed: number;
  viewer: string;
  planted: Findings;
  found: Findings & { traceId: string | null };
}

export interface DemoRun {
  report: DemoReport;
  stdout: () => string;
  /** Ctrl-C, as a user ends the demo; resolves with the exit code. */
  interrupt: () => Promise<number | null>;
}

const started = new Set<ChildProcess>();

/** Ends every demo still running, services included (each demo leads its own process group). */
export function stopAllDemos(): void {
  for (const child of started) {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
  started.clear();
}

/**
 * Runs `examples/incident/run.mjs` on free ports, without `--exit`, and resolves once the
 * investigation is printed and the viewer is waiting for Ctrl-C.
 */
export function runDemo(seed: number, durationSeconds: number, env: NodeJS.ProcessEnv = {}): Promise<DemoRun> {
  const reportFile = join(mkdtempSync(join(tmpdir(), 'incident-')), 'report.json');
  const child: ChildProcess = spawn(process.execPath, [DEMO, '--seed', String(seed), '--duration', String(durationSeconds),
    '--otlp-port', '0', '--ui-port', '0', '--report', reportFile], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (): void => {
      if (!stdout.includes('press Ctrl-C to end')) return;
      child.stdout?.off('data', onData);
      resolve({
        report: JSON.parse(readFileSync(reportFile, 'utf8')) as DemoReport,
        stdout: () => stdout,
        interrupt: () => {
          child.kill('SIGINT');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => reject(new Error(`demo seed ${seed} exited with ${code} before the investigation\n${stdout}\n${stderr}`)));
  });
}
