import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Sampler, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BatchSpanProcessor, ConsoleSpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Attributes, Diagnostics, ResolvedConfig } from '@threadline/core';
import { THREADLINE_VERSION, combineExportFailures, createFieldRedactor, describeError } from '@threadline/core';
import { GuardedSpanProcessor } from './guarded-span-processor';
import { HexBlockIdGenerator } from './id-generator';
import { InstrumentationSampler } from './instrumentation-sampler';
import { DbQueryRedactor } from './db/db-query-redactor';
import { SpanRedactor } from './span-redactor';
import { enableInstrumentations } from './instrumentations';
import { OtlpSpanExporter } from './otlp-span-exporter';
import { OtlpProtobufSpanProcessor } from './otlp-span-processor';
import { PendingWorkCounter } from './pending-work';
import { createPropagator } from './propagator';
import { RuleBasedSampler } from './rule-sampler';
import { createSampler } from './sampler';
import { SDK_NODE_PACKAGE, createZipkinExporter } from './sdk-node-exporters';
import { SpanStarter } from './span-starter';
import type { Tracing } from './types';

/**
 * Builds the tracer provider from the resolved configuration and registers it, the context
 * manager and the propagator as OpenTelemetry globals. With no exporter configured the
 * provider is still registered, so new spans get real IDs and trace context still flows
 * to downstream services.
 */
export function createTracing(
  config: ResolvedConfig,
  resourceAttributes: Attributes,
  diagnostics: Diagnostics,
  extraSpanProcessors: SpanProcessor[] = [],
): Tracing {
  const pending = new PendingWorkCounter();
  // Database spans are named and typed from their sanitized text first; then every span's
  // secret-looking attributes and quoted SQL are masked.
  const spanProcessors: SpanProcessor[] = [pending, new DbQueryRedactor(), new SpanRedactor(createFieldRedactor(config.redactKeys)), ...extraSpanProcessors];
  const exports = createSpanExports(config, resourceAttributes, diagnostics);
  spanProcessors.push(...exports.processors);
  const sampler = new InstrumentationSampler(withSamplingRules(config, createSampler(config.sampler, config.samplerArg)), config.dbRootSpans);
  const idGenerator = new HexBlockIdGenerator();
  const provider = new TracerProvider({
    resource: resourceFromAttributes(resourceAttributes),
    sampler,
    idGenerator,
    spanLimits: {
      attributeValueLengthLimit: config.limits.attributeValueLengthLimit,
      attributeCountLimit: config.limits.attributeCountLimit,
    },
    spanProcessors: spanProcessors.map((processor) => new GuardedSpanProcessor(processor, diagnostics)),
  });

  const contextManager = new AsyncLocalStorageContextManager().enable();
  if (!context.setGlobalContextManager(contextManager)) {
    contextManager.disable();
    diagnostics.warn('another context manager was registered before Threadline started; keeping it');
  } else {
    // Node 20 turns AsyncLocalStorage's promise tracking on at its first run. Promises made
    // before that carry no context, their continuations share one top-level resource, and a
    // context attached there (a message read with `for await`) would stay on all of them.
    contextManager.with(ROOT_CONTEXT, () => undefined);
  }
  if (!propagation.setGlobalPropagator(createPropagator(config.propagators))) {
    diagnostics.warn('another propagator was registered before Threadline started; keeping it');
  }
  if (!trace.setGlobalTracerProvider(provider)) {
    diagnostics.warn(
      'another tracer provider was registered before Threadline started; spans created through @opentelemetry/api go to it, not to Threadline',
    );
  }
  const tracer = provider.getTracer('@threadline/tracing', THREADLINE_VERSION);
  const disableInstrumentations = enableInstrumentations({
    provider,
    tracer,
    spans: new SpanStarter(tracer, sampler, idGenerator),
    contextManager,
    config,
    diagnostics,
  });

  return {
    provider,
    hasPendingWork: () => pending.hasPendingWork(),
    exportFailures: () => combineExportFailures(exports.failing),
    takeForExit: () => exports.atExit.flatMap((processor) => processor.takeForExit()),
    forceFlush: () => provider.forceFlush(),
    shutdown: () => {
      disableInstrumentations();
      return provider.shutdown();
    },
  };
}

/** The configured sampler, behind the sampling rules when there are any (no cost otherwise). */
function withSamplingRules(config: ResolvedConfig, sampler: Sampler): Sampler {
  if (config.samplingRules.length === 0) return sampler;
  return new RuleBasedSampler(config.samplingRules, sampler, config.sampler.startsWith('parentbased_'));
}

/**
 * OTLP protobuf (over HTTP, the default, or gRPC) encodes spans as they end; OTLP/JSON, the
 * console exporter and Zipkin (from sdk-node's exporters) go through the SDK's batch processor.
 */
function createSpanExports(config: ResolvedConfig, resourceAttributes: Attributes, diagnostics: Diagnostics) {
  const processors: SpanProcessor[] = [];
  const failing: { failedExports: number; lastError: string | undefined }[] = [];
  // The protobuf path queues encoded bytes, which the exit event can still send synchronously.
  const atExit: OtlpProtobufSpanProcessor[] = [];
  const batched = (exporter: SpanExporter) =>
    new BatchSpanProcessor({
      exporter,
      scheduledDelayMillis: config.batch.scheduleDelayMillis,
      maxQueueSize: config.batch.maxQueueSize,
      maxExportBatchSize: config.batch.maxExportBatchSize,
      exportTimeoutMillis: config.batch.exportTimeoutMillis,
    });
  for (const name of config.traces.exporters) {
    if (name === 'console') {
      processors.push(batched(new ConsoleSpanExporter()));
    } else if (name === 'zipkin') {
      try {
        processors.push(batched(createZipkinExporter(config.traces.zipkinUrl, String(resourceAttributes['service.name']))));
      } catch (error) {
        diagnostics.warn(`the zipkin exporter could not be loaded from ${SDK_NODE_PACKAGE}; spans are not sent to Zipkin: ${describeError(error)}`);
      }
    } else if (config.traces.protocol === 'http/json') {
      const exporter = new OtlpSpanExporter(config.traces);
      processors.push(batched(exporter));
      failing.push(exporter);
    } else {
      const processor = new OtlpProtobufSpanProcessor(config.traces, config.batch, diagnostics);
      processors.push(processor);
      failing.push(processor);
      atExit.push(processor);
    }
  }
  return { processors, failing, atExit };
}
