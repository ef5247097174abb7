import { resolveConfig } from '@threadline/core';
import { describeConfiguration } from '../src/doctor/config-report';
import { diagnose } from '../src/doctor/diagnose';
import type { DoctorReport } from '../src/doctor/report-types';
import { describeSampler } from '../src/doctor/sampler-report';

/** The doctor's verdict on a configuration that sets only the sampler. */
function samplerProblems(env: Record<string, string>): { ratio: number; problems: string[] } {
  const resolved = resolveConfig({}, env);
  const sampler = describeSampler(resolved.config);
  const report = { disabled: false, settingWarnings: [], moduleSystem: 'commonjs', startedBy: 'register', loadedBefore: [], instrumentations: [], duplicates: [], endpoints: [], config: describeConfiguration(resolved), sampler } as unknown as DoctorReport;
  return { ratio: sampler.ratio, problems: diagnose(report).map((found) => found.message) };
}

describe("the doctor's sampler check", () => {
  it('keeps everything by default', () => {
    expect(samplerProblems({})).toEqual({ ratio: 1, problems: [] });
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, 'OTEL_TRACES_SAMPLER_ARG=0'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'OTEL_TRACES_SAMPLER=always_off'],
    [{ THREADLINE_SAMPLING_RULES: '*=0' }, 'THREADLINE_SAMPLING_RULES=*=0'],
  ])('names a ratio of 0 and the variable that set it: %j', (env, named) => {
    const { ratio, problems } = samplerProblems(env);
    expect(ratio).toBe(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(named);
  });

  it('a catch-all rule at 0 after rules that keep some requests is not a problem', () => {
    expect(samplerProblems({ THREADLINE_SAMPLING_RULES: 'GET /orders/:id=0.5,*=0' })).toEqual({ ratio: 0, problems: [] });
  });

  it('the ratio of the first catch-all rule wins over the sampler', () => {
    expect(samplerProblems({ OTEL_TRACES_SAMPLER: 'always_off', THREADLINE_SAMPLING_RULES: '/health*=0,*=0.1' })).toEqual({ ratio: 0.1, problems: [] });
  });
});
