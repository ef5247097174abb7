import { DEFAULT_PROBE_TIMEOUT_MILLIS } from '../doctor/endpoint-probe';

export interface DoctorOptions {
  strict: boolean;
  json: boolean;
  /** How long the app may take to start before the report is made anyway. */
  waitMillis: number;
  probeTimeoutMillis: number;
  command: string[];
}

export const DEFAULT_DOCTOR_WAIT_MILLIS = 3000;

export const DOCTOR_USAGE = `usage: threadline doctor [--strict] [--json] [--wait <ms>] -- <command to start the service>

Runs the service's start-up with Threadline's doctor mode on, stops it once it listens (or after
--wait, default ${DEFAULT_DOCTOR_WAIT_MILLIS} ms, or when it exits), and prints what was instrumented, what
was loaded too early, the configuration and whether each endpoint answers.

  --strict      exit 1 when a problem is found (for CI)
  --json        print the report as JSON
  --wait <ms>   how long start-up may take before the report is made
example: npx threadline doctor --strict -- node --import @threadline/node/register server.mjs
`;

/** The options before `--` and the command after it (or from the first word that is not an option). */
export function parseDoctorArguments(args: readonly string[]): DoctorOptions | { error: string } {
  const options: DoctorOptions = { strict: false, json: false, waitMillis: DEFAULT_DOCTOR_WAIT_MILLIS, probeTimeoutMillis: DEFAULT_PROBE_TIMEOUT_MILLIS, command: [] };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      options.command = args.slice(index + 1);
      break;
    }
    if (arg === '--strict') options.strict = true;
    else if (arg === '--json') options.json = true;
    else if (arg === '--wait') {
      const value = Number(args[++index]);
      if (!Number.isInteger(value) || value <= 0) return { error: '--wait needs a whole number of milliseconds > 0' };
      options.waitMillis = value;
    } else if (arg.startsWith('-')) return { error: `unknown option ${arg}` };
    else {
      options.command = args.slice(index);
      break;
    }
  }
  if (options.command.length === 0) return { error: 'no command to run' };
  return options;
}
