import type { CommandOutput } from './doctor-command';
import { runDoctor } from './doctor-command';
import { DOCTOR_USAGE, parseDoctorArguments } from './doctor-options';

/** `threadline <command>`; resolves with the exit code. */
export async function main(args: readonly string[], output: CommandOutput): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'doctor') {
    output.stderr(command === undefined || command === '--help' || command === 'help' ? DOCTOR_USAGE : `unknown command ${command}\n${DOCTOR_USAGE}`);
    return command === undefined || command === '--help' || command === 'help' ? 0 : 2;
  }
  const options = parseDoctorArguments(rest);
  if ('error' in options) {
    output.stderr(`threadline doctor: ${options.error}\n${DOCTOR_USAGE}`);
    return 2;
  }
  return runDoctor(options, output);
}
