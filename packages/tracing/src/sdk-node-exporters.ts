import { createRequire } from 'node:module';
import type { SpanExporter } from '@opentelemetry/sdk-trace';

/** The package that brings the exporters only some setups need; an optional peer dependency. */
export const SDK_NODE_PACKAGE = '@opentelemetry/sdk-node';

/**
 * The Zipkin exporter `@opentelemetry/sdk-node` carries, loaded the first time it is asked for:
 * sdk-node itself costs ~0.9 s to load (every exporter it knows), so only the one exporter is
 * taken from its dependencies, resolved from where sdk-node is installed (an app that installs
 * `@opentelemetry/exporter-zipkin` alone works too). The URL comes from Threadline's resolved
 * configuration, so OTEL_EXPORTER_ZIPKIN_ENDPOINT means what it means to sdk-node.
 */
export function createZipkinExporter(url: string, serviceName: string): SpanExporter {
  type Zipkin = typeof import('@opentelemetry/exporter-zipkin');
  const { ZipkinExporter } = loadFromSdkNode<Zipkin>('@opentelemetry/exporter-zipkin');
  return new ZipkinExporter({ url, serviceName }) as unknown as SpanExporter;
}

/** `name` from the app's own dependencies, else from sdk-node's. */
export function loadFromSdkNode<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only when configured
    return require(name) as T;
  } catch {
    const fromSdkNode = createRequire(require.resolve(SDK_NODE_PACKAGE));
    return fromSdkNode(name) as T;
  }
}
