import type { Attributes } from '@opentelemetry/api';
import type { IAttributesProcessor } from '@opentelemetry/sdk-metrics';
import type { FieldRedactor } from '@threadline/core';
import { maskSecretAttributes } from '@threadline/core';

/**
 * The metrics SDK's hook on each measurement of an instrument created through Threadline's
 * meter provider (the app's own through `@opentelemetry/api`, the helpers, runtime and
 * `otel.sdk.*` metrics): attributes whose names look like secrets get `[REDACTED]`, so all
 * values of such an attribute share one series. Names are decided once each (cached).
 */
export function createSecretAttributesProcessor(redactor: FieldRedactor): IAttributesProcessor {
  return { process: (incoming: Attributes) => maskSecretAttributes(incoming, redactor) };
}
