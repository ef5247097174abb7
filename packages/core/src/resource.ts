import { randomUUID } from 'node:crypto';
import { arch, hostname, type as osType } from 'node:os';
import { dirname, resolve } from 'node:path';
import { containerIdFromCgroup, containerIdFromMountinfo } from './resource/container-id';
import { readGitCheckout } from './resource/git-checkout';
import { readHostId } from './resource/host-id';
import { readSmallFile } from './resource/read-small-file';
import type { Attributes, ResolvedConfig } from './types';
import { THREADLINE_VERSION } from './version';

/** Semantic-convention names for `host.arch` (Node reports `x64`, the convention says `amd64`). */
const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: 'x86', arm: 'arm32', ppc64: 'ppc64', s390x: 's390x' };

/** A short commit stands for the version when nothing else names one. */
const SHORT_REVISION_LENGTH = 12;

/**
 * The resource every signal carries. Detected host, process, container, Kubernetes and
 * "what changed" (commit, branch) facts come first, then `OTEL_RESOURCE_ATTRIBUTES`, then the
 * service identity from options, which always wins. `service.version` falls back to the
 * commit (12 digits) when no option, attribute or package.json names a version.
 */
export function createResourceAttributes(config: ResolvedConfig, mainScript: string | undefined = process.argv[1]): Attributes {
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
    ...detectEnvironmentFacts(config, mainScript),
  };
  const identity: Attributes = { 'service.name': config.serviceName };
  const revision = config.resourceAttributes['vcs.ref.head.revision'] ?? detected['vcs.ref.head.revision'];
  const version = config.serviceVersion ?? (typeof revision === 'string' ? revision.slice(0, SHORT_REVISION_LENGTH) : undefined);
  if (version) identity['service.version'] = version;
  if (config.deploymentEnvironment) identity['deployment.environment.name'] = config.deploymentEnvironment;
  return { ...detected, ...config.resourceAttributes, ...identity };
}

/**
 * Facts about where the process runs and what was deployed, with no network call: the
 * downward-API and CI/CD variables (read by resolveConfig), then, unless turned off, a few
 * small local files, each read once: /proc/self/cgroup and /proc/self/mountinfo, the machine
 * ID, and the git checkout above the main script (measured at well under a millisecond).
 */
function detectEnvironmentFacts(config: ResolvedConfig, mainScript: string | undefined): Attributes {
  const facts: Attributes = {};
  const set = (key: string, value: string | undefined) => {
    if (value) facts[key] = value;
  };
  if (config.resourceDetection) {
    set('container.id', containerIdFromCgroup(readSmallFile('/proc/self/cgroup') ?? '') ?? containerIdFromMountinfo(readSmallFile('/proc/self/mountinfo') ?? ''));
    set('host.id', readHostId());
  }
  set('k8s.pod.name', config.kubernetes.podName);
  set('k8s.namespace.name', config.kubernetes.namespaceName);
  set('k8s.node.name', config.kubernetes.nodeName);
  set('k8s.pod.uid', config.kubernetes.podUid);
  // A variable names the deploy explicitly; a checkout is the fallback, field by field.
  const checkout = config.resourceDetection ? readGitCheckout(mainScript ? dirname(resolve(mainScript)) : process.cwd()) : {};
  set('vcs.ref.head.revision', config.deployment.revision ?? checkout.revision);
  set('vcs.ref.head.name', config.deployment.branch ?? (config.deployment.revision ? undefined : checkout.branch));
  set('vcs.repository.url.full', config.deployment.repositoryUrl ?? checkout.repositoryUrl);
  return facts;
}
