import { randomUUID } from 'node:crypto';
import { arch, hostname, type as osType } from 'node:os';
import type { Attributes, ResolvedConfig } from './types';
import { THREADLINE_VERSION } from './version';

/** Semantic-convention names for `host.arch` (Node reports `x64`, the convention says `amd64`). */
const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: 'x86', arm: 'arm32', ppc64: 'ppc64', s390x: 's390x' };

/**
 * The resource every signal carries. Detected host and process facts come first, then
 * `OTEL_RESOURCE_ATTRIBUTES`, then the service identity from options, which always wins.
 */
export function createResourceAttributes(config: ResolvedConfig): Attributes {
  const detected: Attributes = {
    'host.name': hostname(),
    'host.arch': HOST_ARCH[arch()] ?? arch(),
    'os.type': osType().toLowerCase(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.executable.name': 'node',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.distro.name': 'threadline',
    'telemetry.distro.version': THREADLINE_VERSION,
    'service.instance.id': randomUUID(),
  };
  const identity: Attributes = { 'service.name': config.serviceName };
  if (config.serviceVersion) identity['service.version'] = config.serviceVersion;
  if (config.deploymentEnvironment) identity['deployment.environment.name'] = config.deploymentEnvironment;
  return { ...detected, ...config.resourceAttributes, ...identity };
}
