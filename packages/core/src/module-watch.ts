// `import x = require()` keeps the real module object: `_load` is replaced on it below.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import Module = require('node:module');

type LoadFunction = (this: unknown, request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: LoadFunction };

export interface ModuleTarget {
  /** Package names whose first load triggers `onFirstLoad`. */
  packages: readonly string[];
  /** Runs before the package's code (install require hooks here). */
  onFirstLoad?(): void;
  /** Runs after it loaded; a different return value replaces the package's exports for everyone. */
  onLoaded?(exports: unknown): unknown;
}

/**
 * Runs a target's `onFirstLoad` the first time the app loads one of its packages, before the
 * package's code runs, so that an instrumentation (and its require hooks) loads only when the
 * app needs it. The package is then loaded through `Module.prototype.require`, where the hooks
 * just installed see it. Node loads CommonJS packages with `Module._load` both for `require()`
 * and for an ES module's `import`, so one wrapper covers both.
 */
export function watchFirstLoads(targets: readonly ModuleTarget[], onError: (error: unknown) => void): () => void {
  const pending = new Set(targets);
  const originalLoad = moduleInternals._load;
  const watchingLoad: LoadFunction = function (this: unknown, request, parent, isMain) {
    const target = pending.size > 0 && typeof request === 'string' ? findTarget(request, pending) : undefined;
    if (!target) return originalLoad.call(this, request, parent, isMain);
    pending.delete(target);
    try {
      target.onFirstLoad?.();
    } catch (error) {
      onError(error);
      return originalLoad.call(this, request, parent, isMain);
    }
    const requireFromCaller: NodeJS.Require = parent?.filename ? Module.createRequire(parent.filename) : Module.createRequire(request);
    const exports: unknown = parent && typeof parent.require === 'function' ? parent.require(request) : requireFromCaller(request);
    if (!target.onLoaded) return exports;
    try {
      const replacement = target.onLoaded(exports);
      if (replacement !== exports) replaceCachedExports(requireFromCaller.resolve(request), replacement);
      return replacement;
    } catch (error) {
      onError(error);
      return exports;
    }
  };
  moduleInternals._load = watchingLoad;
  return () => {
    pending.clear();
    if (moduleInternals._load === watchingLoad) moduleInternals._load = originalLoad;
  };
}

function replaceCachedExports(filename: string, replacement: unknown): void {
  const cached = require.cache[filename];
  if (cached) cached.exports = replacement;
}

function findTarget(request: string, pending: Set<ModuleTarget>): ModuleTarget | undefined {
  for (const target of pending) {
    if (target.packages.some((name) => requestLoadsPackage(request, name))) return target;
  }
  return undefined;
}

/** `pg`, `pg/lib/x` or an absolute path inside node_modules/pg (an ESM import of CommonJS). */
export function requestLoadsPackage(request: string, packageName: string): boolean {
  if (request === packageName || request.startsWith(`${packageName}/`)) return true;
  return request.includes(`/node_modules/${packageName}/`) || request.includes(`\\node_modules\\${packageName.replace('/', '\\')}\\`);
}

/** Packages already in the CommonJS cache: loaded before Threadline started, too late to hook. */
export function alreadyLoaded(packageName: string, cachedFiles: readonly string[] = Object.keys(require.cache)): boolean {
  return cachedFiles.some((file) => requestLoadsPackage(file, packageName) && file.includes('node_modules'));
}
