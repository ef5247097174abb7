/**
 * Packages whose instrumentation hooks Node's module loader (`Module._load`, require hooks):
 * bundled, their code never passes through it and they silently lose their spans and log
 * correlation. `pg-pool` and `@redis/*` are where pg's pool and node-redis's client live.
 */
const PACKAGES_OF: Record<string, readonly string[]> = {
  pg: ['pg', 'pg-pool', 'pg-native'],
  mysql2: ['mysql2'],
  ioredis: ['ioredis'],
  redis: ['redis', '@redis/*'],
  pino: ['pino'],
  winston: ['winston'],
};

/** Every package kept external unless named in the `bundle` option (by instrumentation name). */
export const INSTRUMENTED_PACKAGES: readonly string[] = Object.values(PACKAGES_OF).flat();

/**
 * Threadline and OpenTelemetry stay external too: `@opentelemetry/api` must be one copy per
 * process, and the instrumentations load lazily, with their own require hooks.
 */
const ALWAYS_EXTERNAL = ['@threadline/*', '@opentelemetry/*'];

/** `pg`, `pg/lib/x`, `@redis/client` -> the package name. */
export function packageNameOf(request: string): string {
  const parts = request.split('/');
  return request.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function matches(pattern: string, name: string): boolean {
  return pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

/** Decides, per import (`bundled` names instrumentations: `pg`, `pino`, ...), whether the bundler leaves it to Node; compiled once per build. */
export function createExternalMatcher(bundled: readonly string[] = []) {
  const keptExternal = Object.keys(PACKAGES_OF).filter((name) => !bundled.includes(name));
  const external = [...keptExternal.flatMap((name) => PACKAGES_OF[name]!), ...ALWAYS_EXTERNAL];
  return {
    /** True for a bare import (`pg`, `pg/lib/client`) of a package kept external. */
    isExternal(request: string): boolean {
      if (request.startsWith('.') || request.startsWith('/') || request.startsWith('node:')) return false;
      const name = packageNameOf(request);
      return external.some((pattern) => matches(pattern, name));
    },
    /** The instrumentation names left to Node's module loader, for the bundle marker. */
    keptExternal,
  };
}
