import type { FieldRedactor, ResolvedConfig, ValueLimits } from '@threadline/core';
import { DEFAULT_REDACT_KEYS, DEFAULT_VALUE_LIMITS, ValueBounder, createFieldRedactor } from '@threadline/core';
import type { LogFields } from './types';

/** How every logger shapes what it was given: which names are masked, and the value limits. */
export interface LogPolicy {
  redactor: FieldRedactor;
  limits: ValueLimits;
  /** Told about a log call that failed inside Threadline (the call itself returns normally). */
  onError(error: unknown): void;
}

/** The attribute counting the values a record's limits cut (absent when nothing was cut). */
export const TRUNCATED_VALUES_ATTRIBUTE = 'threadline.truncated_values';

export function createLogPolicy(
  config?: Pick<ResolvedConfig, 'redactKeys' | 'limits'>,
  onError: (error: unknown) => void = () => {},
): LogPolicy {
  return {
    redactor: createFieldRedactor(config ? config.redactKeys : DEFAULT_REDACT_KEYS),
    limits: { ...DEFAULT_VALUE_LIMITS, maxStringLength: config?.limits.attributeValueLengthLimit ?? DEFAULT_VALUE_LIMITS.maxStringLength },
    onError,
  };
}

let defaultPolicy: LogPolicy | undefined;

/** The policy of a logger made without one: the default keys and limits. */
export function defaultLogPolicy(): LogPolicy {
  return (defaultPolicy ??= createLogPolicy());
}

export function newBounder(policy: LogPolicy): ValueBounder {
  return new ValueBounder(policy.limits, policy.redactor);
}

/** Adds the count of cut values to a record's attributes. */
export function withCutCount(attributes: LogFields, bounder: ValueBounder): LogFields {
  if (bounder.stats.cut > 0) attributes[TRUNCATED_VALUES_ATTRIBUTE] = bounder.stats.cut;
  return attributes;
}
