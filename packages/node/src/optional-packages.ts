import type { Diagnostics, ResolvedConfig } from '@threadline/core';
import { GRPC_PACKAGE } from '@threadline/core';
import { SDK_NODE_PACKAGE } from '@threadline/tracing';

/**
 * The optional peer dependencies, the version Threadline is tested with, and the packages that
 * serve as well (the Zipkin exporter alone is what is taken from sdk-node).
 */
export const OPTIONAL_PACKAGES = {
  grpc: { name: GRPC_PACKAGE, version: '1.14.7', alternatives: [] },
  sdkNode: { name: SDK_NODE_PACKAGE, version: '0.223.0', alternatives: ['@opentelemetry/exporter-zipkin'] },
} as const;

type SignalConfig = ResolvedConfig['traces'] | ResolvedConfig['metrics'] | ResolvedConfig['logs'];

/**
 * The default install leaves out what only some setups need (gRPC, sdk-node's exporters:
 * together ~30 MB). A configuration that asks for one that is not installed gets one warning
 * naming the package, and that exporter is turned off instead of failing every export.
 */
export function withInstalledPackages(config: ResolvedConfig, diagnostics: Diagnostics, resolve: (name: string) => string = require.resolve): ResolvedConfig {
  const installed = new Map<string, boolean>();
  const isInstalled = (name: string): boolean => {
    if (!installed.has(name)) {
      try {
        resolve(name);
        installed.set(name, true);
      } catch {
        installed.set(name, false);
      }
    }
    return installed.get(name)!;
  };
  const check = <Signal extends SignalConfig>(signal: Signal, needs: (exporter: string, signal: Signal) => keyof typeof OPTIONAL_PACKAGES | undefined): Signal => {
    const exporters = (signal.exporters as string[]).filter((exporter) => {
      const need = needs(exporter, signal);
      if (!need) return true;
      const { name, version, alternatives } = OPTIONAL_PACKAGES[need];
      if ([name, ...alternatives].some(isInstalled)) return true;
      diagnostics.warnOnce(`missing ${name}`, `${describe(exporter)} needs ${name}, which is not installed (npm install ${name}@${version}); nothing is exported that way until it is`);
      return false;
    });
    return { ...signal, exporters };
  };
  const grpcOrSdkNode = (exporter: string, signal: SignalConfig): keyof typeof OPTIONAL_PACKAGES | undefined => {
    if (exporter === 'otlp' && signal.protocol === 'grpc') return 'grpc';
    if (exporter === 'zipkin') return 'sdkNode';
    return undefined;
  };
  return { ...config, traces: check(config.traces, grpcOrSdkNode), metrics: check(config.metrics, grpcOrSdkNode), logs: check(config.logs, grpcOrSdkNode) };
}

function describe(exporter: string): string {
  return exporter === 'otlp' ? 'OTLP/gRPC export' : `the ${exporter} exporter`;
}
