import type { ResolvedConfig } from '@threadline/core';

/**
 * The share of traces that start in this service which are kept: what the sampler does for a
 * request with no sampled caller. With sampling rules, the ratio is the one requests that
 * match no rule get.
 */
export function describeSampler(config: ResolvedConfig): { description: string; ratio: number } {
  const ratio = rootRatio(config.sampler, config.samplerArg);
  const base = config.sampler.endsWith('traceidratio') ? `${config.sampler} (ratio ${config.samplerArg})` : config.sampler;
  const rules = config.samplingRules.map((rule) => rule.text).join(', ');
  return { description: rules ? `${base}, after the rules ${rules}` : base, ratio };
}

function rootRatio(sampler: ResolvedConfig['sampler'], samplerArg: number): number {
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') return 0;
  if (sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') return samplerArg;
  return 1;
}
