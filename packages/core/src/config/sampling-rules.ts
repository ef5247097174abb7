/**
 * `THREADLINE_SAMPLING_RULES` / the `samplingRules` option: comma-separated
 * `[METHOD ]pattern=ratio` rules, first match wins, e.g. `/health*=0,GET /orders/:id=0.5,*=0.1`.
 * Checked here, at start, so that a bad rule is named once and dropped while the good ones
 * stay; tracing compiles the rules into matchers.
 */
export interface SamplingRule {
  /** Uppercase HTTP method, or undefined for any. */
  method: string | undefined;
  /** `*`, a path glob (`/health*`) or a route template (`/orders/:id`). */
  pattern: string;
  ratio: number;
  /** The rule as written, for messages. */
  text: string;
}

const METHOD = /^[A-Za-z]+$/;

export function parseSamplingRules(raw: readonly string[]): { rules: SamplingRule[]; invalid: string[] } {
  const rules: SamplingRule[] = [];
  const invalid: string[] = [];
  for (const text of raw) {
    const rule = parseSamplingRule(text.trim());
    if (rule) rules.push(rule);
    else if (text.trim() !== '') invalid.push(text.trim());
  }
  return { rules, invalid };
}

function parseSamplingRule(text: string): SamplingRule | undefined {
  const separator = text.lastIndexOf('=');
  if (separator <= 0) return undefined;
  const ratioText = text.slice(separator + 1).trim();
  const ratio = Number(ratioText);
  if (ratioText === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) return undefined;
  const target = text.slice(0, separator).trim().split(/\s+/);
  const [first, second] = target;
  if (target.length > 2 || first === undefined) return undefined;
  const method = second === undefined ? undefined : first;
  const pattern = second ?? first;
  if (method !== undefined && !METHOD.test(method)) return undefined;
  if (pattern !== '*' && !pattern.startsWith('/')) return undefined;
  return { method: method === undefined || method === '*' ? undefined : method.toUpperCase(), pattern, ratio, text };
}
