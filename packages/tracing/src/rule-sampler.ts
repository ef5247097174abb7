import type { Attributes, Context, Link } from '@opentelemetry/api';
import { SpanKind, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { SamplingRule } from '@threadline/core';

interface CompiledRule {
  method: string | undefined;
  matches: (path: string) => boolean;
  sampler: Sampler;
}

/** Paths seen per method are remembered up to this many; past it, rules are matched each time. */
const MAX_CACHED_PATHS = 4096;
const NO_RULE = -1;

/**
 * Rule-based sampling for requests that start a trace. The decision is made once, on the
 * server span, from the method and path (`http.request.method`, `url.path`, given to
 * `startSpan` as sampling attributes): the route is not known yet when a request starts, so a
 * route template is matched against the path segment by segment. Every other span goes to the
 * configured sampler, which (parent-based by default) makes a request's spans follow its
 * server span; with a parent-based sampler a request that arrives with a parent keeps its
 * caller's decision. First matching rule wins; no match leaves the configured sampler to decide.
 */
export class RuleBasedSampler implements Sampler {
  private readonly rules: CompiledRule[];
  private readonly decided = new Map<string, number>();

  constructor(
    rules: readonly SamplingRule[],
    private readonly delegate: Sampler,
    private readonly parentBased: boolean,
  ) {
    const samplers = new Map<number, Sampler>();
    this.rules = rules.map((rule) => ({
      method: rule.method,
      matches: compilePattern(rule.pattern),
      sampler: samplers.get(rule.ratio) ?? samplers.set(rule.ratio, new TraceIdRatioBasedSampler(rule.ratio)).get(rule.ratio)!,
    }));
  }

  shouldSample(context: Context, traceId: string, spanName: string, spanKind: SpanKind, attributes: Attributes, links: Link[]): SamplingResult {
    const rule = spanKind === SpanKind.SERVER && this.startsDecision(context) ? this.ruleFor(attributes) : undefined;
    return (rule?.sampler ?? this.delegate).shouldSample(context, traceId, spanName, spanKind, attributes, links);
  }

  toString(): string {
    return `RuleBasedSampler{rules=${this.rules.length}, ${this.delegate.toString()}}`;
  }

  private startsDecision(context: Context): boolean {
    const parent = trace.getSpanContext(context);
    if (!parent || !isSpanContextValid(parent)) return true;
    return parent.isRemote === true && !this.parentBased;
  }

  private ruleFor(attributes: Attributes): CompiledRule | undefined {
    const path = attributes['url.path'];
    if (typeof path !== 'string') return undefined;
    const method = String(attributes['http.request.method'] ?? '');
    const key = `${method} ${path}`;
    let index = this.decided.get(key);
    if (index === undefined) {
      index = this.rules.findIndex((rule) => (rule.method === undefined || rule.method === method) && rule.matches(path));
      if (this.decided.size < MAX_CACHED_PATHS) this.decided.set(key, index);
    }
    return index === NO_RULE ? undefined : this.rules[index];
  }
}

/**
 * `*` matches everything; in a path glob `*` matches any characters (also `/`); a `:name`
 * segment of a route template matches one non-empty segment. Everything else is literal.
 */
export function compilePattern(pattern: string): (path: string) => boolean {
  if (pattern === '*') return () => true;
  const source = pattern
    .split('/')
    .map((segment) => (/^:[A-Za-z0-9_]+$/.test(segment) ? '[^/]+' : segment.split('*').map(escapeRegExp).join('.*')))
    .join('/');
  const expression = new RegExp(`^${source}$`);
  return (path) => expression.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
