import { runDoctor } from '../src/cli/doctor-command';
import { parseDoctorArguments } from '../src/cli/doctor-options';
import { main } from '../src/cli/main';

describe('the threadline command line', () => {
  it('reads the options before -- and the command after it', () => {
    expect(parseDoctorArguments(['--strict', '--json', '--wait', '500', '--', 'node', '--require', 'x', 'app.js'])).toMatchObject({
      strict: true,
      json: true,
      waitMillis: 500,
      command: ['node', '--require', 'x', 'app.js'],
    });
    expect(parseDoctorArguments(['node', 'app.js'])).toMatchObject({ strict: false, json: false, waitMillis: 3000, command: ['node', 'app.js'] });
  });

  it.each([
    [[], 'no command to run'],
    [['--wait', 'soon', '--', 'node'], '--wait needs a whole number of milliseconds > 0'],
    [['--fast', '--', 'node'], 'unknown option --fast'],
  ])('rejects %j: %s', (args, error) => {
    expect(parseDoctorArguments(args)).toEqual({ error });
  });

  it('exits 2 on a usage error or an unknown command, 0 for help', async () => {
    const output = { stdout: jest.fn(), stderr: jest.fn() };
    expect(await main(['doctor'], output)).toBe(2);
    expect(await main(['cure'], output)).toBe(2);
    expect(await main(['--help'], output)).toBe(0);
    expect(output.stdout).toHaveBeenCalledWith(expect.stringContaining('usage: threadline doctor'));
  });

  it('exits 2 when the command cannot be run, and says why', async () => {
    const errors: string[] = [];
    const code = await runDoctor({ strict: false, json: true, waitMillis: 1000, probeTimeoutMillis: 500, command: ['/no/such/command'] }, { stdout: () => {}, stderr: (text) => errors.push(text) });
    expect(code).toBe(2);
    expect(errors.join('')).toContain('could not run /no/such/command');
  });
});
