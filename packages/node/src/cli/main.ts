import type { CommandOutput } from './doctor-command';
import { runDoctor } from './doctor-command';
import { DOCTOR_USAGE, parseDoctorArguments } from './doctor-options';

/** `threadline <command>`; resolves with the exit code. */
export async function main(args: readonly string[], output: CommandOutput): Promise<number> {
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === 'help') {
    output.stdout(DOCTOR_USAGE);
    return 0;
  }
  if (command !== 'doctor') {
    output.stderr(`threadline: unknown command ${command}\n${DOCTOR_USAGE}`);
    return 2;
  }
  const options = parseDoctorArguments(rest);
  if ('error' in options) {
    output.stderr(`threadline doctor: ${options.error}\n${DOCTOR_USAGE}`);
    return 2;
  }
  return runDoctor(options, output);
}
