import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import type { SignalExportConfig } from '@threadline/core';
import { OtlpExporter } from '@threadline/core';

/** OTLP/HTTP span export: core's lazily loaded OTLP exporter, for spans. */
export class OtlpSpanExporter extends OtlpExporter<ReadableSpan> implements SpanExporter {
  constructor(config: SignalExportConfig) {
    super('traces', config);
  }
}
