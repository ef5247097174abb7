import type { ResolvedConfig } from '@threadline/core';
import type { DoctorReport } from './report-types';

/**
 * The share of traces that start in this service which are kept: what the sampler does for a
 * request with no sampled caller. With sampling rules, it is the share the first catch-all rule
 * (`*=0.1`) keeps, else the sampler's; `someRuleKeeps` says whether a rule keeps any request.
 */
export function describeSampler(config: ResolvedConfig): DoctorReport['sampler'] {
  const catchAll = config.samplingRules.find((rule) => rule.pattern === '*' && rule.method === undefined);
  const ratio = catchAll ? catchAll.ratio : rootRatio(config.sampler, config.samplerArg);
  const decidedBy = catchAll ? 'samplingRules' : config.sampler.endsWith('traceidratio') ? 'samplerArg' : 'sampler';
  const base = config.sampler.endsWith('traceidratio') ? `${config.sampler} (ratio ${config.samplerArg})` : config.sampler;
  const rules = config.samplingRules.map((rule) => rule.text).join(', ');
  return { description: rules ? `${base}, after the rules ${rules}` : base, ratio, decidedBy, someRuleKeeps: config.samplingRules.some((rule) => rule.ratio > 0) };
}

function rootRatio(sampler: ResolvedConfig['sampler'], samplerArg: number): number {
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return 0;
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') return samplerArg;
  return 1;
}
