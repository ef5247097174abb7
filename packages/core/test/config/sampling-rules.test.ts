import { resolveConfig } from '../../src/config/resolve-config';

describe('sampling rules', () => {
  it('reads THREADLINE_SAMPLING_RULES in order, with an optional method', () => {
    const { config, warnings } = resolveConfig({}, { THREADLINE_SAMPLING_RULES: '/health*=0, get /orders/:id=0.5 ,/checkout=1,*=0.1' });
    expect(warnings).toEqual([]);
    expect(config.samplingRules.map(({ method, pattern, ratio }) => ({ method, pattern, ratio }))).toEqual([
      { method: undefined, pattern: '/health*', ratio: 0 },
      { method: 'GET', pattern: '/orders/:id', ratio: 0.5 },
      { method: undefined, pattern: '/checkout', ratio: 1 },
      { method: undefined, pattern: '*', ratio: 0.1 },
    ]);
  });

  it('names each bad rule once and keeps the good ones', () => {
    const { config, warnings } = resolveConfig({}, { THREADLINE_SAMPLING_RULES: '/a=2,health=0.5,/b=,GET POST /c=1,G3T /d=1,/ok=0.25' });
    expect(config.samplingRules.map((rule) => rule.text)).toEqual(['/ok=0.25']);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe('sampling rule "/a=2" is invalid (expected [METHOD ]/path-or-route=ratio from 0 to 1, or *=ratio); ignoring it');
    for (const [index, rule] of ['health=0.5', '/b=', 'GET POST /c=1', 'G3T /d=1'].entries()) expect(warnings[index + 1]).toContain(JSON.stringify(rule));
  });

  it('takes the option (an array or one string) over the variable', () => {
    expect(resolveConfig({ samplingRules: ['/x=0'] }, { THREADLINE_SAMPLING_RULES: '/y=1' }).config.samplingRules.map((rule) => rule.text)).toEqual(['/x=0']);
    expect(resolveConfig({ samplingRules: '/x=0,*=1' }, {}).config.samplingRules).toHaveLength(2);
    expect(resolveConfig({}, {}).config.samplingRules).toEqual([]);
  });
});
