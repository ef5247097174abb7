import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export interface AppResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningApp {
  child: ChildProcess;
  /** Resolves when stdout contains `text`. */
  waitForOutput(text: string, timeoutMillis?: number): Promise<void>;
  /** Everything written to stdout so far. */
  output(): string;
  /** Everything written to stderr so far. */
  errors(): string;
  /** Resolves with the port once the app printed `listening <port>` (the fixtures' convention). */
  waitForPort(timeoutMillis?: number): Promise<number>;
  exited: Promise<AppResult>;
}

/**
 * Runs `node <args>` in the fixtures directory with a clean environment: no OTEL_* or
 * THREADLINE_* variables leak in from the test runner, only those in `env`.
 */
export function startApp(args: string[], env: Record<string, string> = {}): RunningApp {
  const cleanEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(OTEL_|THREADLINE_|NODE_OPTIONS$|JEST_|LOG_LEVEL$)/.test(key)) continue;
    cleanEnv[key] = value;
  }
  const child = spawn(process.execPath, args, { cwd: FIXTURES, env: { ...cleanEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<AppResult>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const waitForOutput = (text: string, timeoutMillis = 15_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMillis;
      const poll = (): void => {
        if (stdout.includes(text)) return resolve();
        if (Date.now() > deadline || child.exitCode !== null) {
          return reject(new Error(`no "${text}" in output; stdout: ${stdout}; stderr: ${stderr}`));
        }
        setTimeout(poll, 20);
      };
      poll();
    });
  const waitForPort = async (timeoutMillis = 15_000): Promise<number> => {
    const deadline = Date.now() + timeoutMillis;
    for (;;) {
      const match = /^listening (\d+)$/m.exec(stdout);
      if (match) return Number(match[1]);
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no port in output; stdout: ${stdout}; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { child, waitForOutput, output: () => stdout, errors: () => stderr, waitForPort, exited };
}

export function runApp(args: string[], env: Record<string, string> = {}): Promise<AppResult> {
  return startApp(args, env).exited;
}

/** Threadline's own diagnostic lines on stderr. */
export function diagnosticLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('threadline '));
}
