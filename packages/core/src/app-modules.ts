/**
 * Module exports an app hands over itself (`start({ modules })`, `instrumentModules()`), for
 * the clients and loggers that a bundle carries inside it: a bundled `require('pg')` never
 * reaches Node's module loader, so the load hooks cannot see it. The instrumentations register
 * a handler per package when they start; the exports may arrive before or after that. Kept
 * behind a `Symbol.for` key so that a CommonJS and an ESM copy of Threadline agree.
 */

/** Packages whose instrumentation hooks Node's module loader, by the name the app passes. */
export const LOADER_HOOKED_PACKAGES = ['pg', 'mysql2', 'ioredis', 'redis', 'pino', 'winston'] as const;
export type LoaderHookedPackage = (typeof LOADER_HOOKED_PACKAGES)[number];

/** The exports of `require('pg')`, `require('pino')`, ... keyed by package name. */
export type AppModules = Partial<Record<LoaderHookedPackage, unknown>>;

/** Patches a package's exports in place; throws when the exports are not the expected shape. */
export type ExportsHandler = (exports: unknown) => void;

export interface ModuleHandOver {
  /** Packages instrumented from exports the app handed over. */
  instrumented: Set<string>;
  /** Why a handed-over package could not be instrumented, by package name. */
  refused: Map<string, string>;
}

interface Registry extends ModuleHandOver {
  handlers: Map<string, ExportsHandler>;
  waiting: Map<string, unknown>;
}

const KEY = Symbol.for('threadline.app-modules');
type Holder = typeof globalThis & { [KEY]?: Registry };

function registry(): Registry {
  const holder = globalThis as Holder;
  return (holder[KEY] ??= { handlers: new Map(), waiting: new Map(), instrumented: new Set(), refused: new Map() });
}

/** Called by an instrumentation at start; exports handed over earlier are patched now. */
export function onAppModule(packageName: LoaderHookedPackage, handler: ExportsHandler): void {
  const state = registry();
  state.handlers.set(packageName, handler);
  if (state.waiting.has(packageName)) {
    const exports = state.waiting.get(packageName);
    state.waiting.delete(packageName);
    apply(state, packageName, exports);
  }
}

/**
 * Hands module exports to the instrumentations. Unknown names, and exports whose handler is
 * not registered yet, are kept (the instrumentation may start later); a second hand-over of
 * the same exports is ignored. Never throws.
 */
export function provideAppModules(modules: unknown): void {
  if (typeof modules !== 'object' || modules === null) return;
  const state = registry();
  for (const [name, exports] of Object.entries(modules)) {
    if (exports === undefined || exports === null) continue;
    if (!(LOADER_HOOKED_PACKAGES as readonly string[]).includes(name)) {
      state.refused.set(name, `Threadline has no instrumentation named ${name}`);
      continue;
    }
    if (state.handlers.has(name)) apply(state, name, exports);
    else state.waiting.set(name, exports);
  }
}

function apply(state: Registry, name: string, exports: unknown): void {
  const handler = state.handlers.get(name)!;
  try {
    handler(exports);
    state.instrumented.add(name);
    state.refused.delete(name);
  } catch (error) {
    state.refused.set(name, error instanceof Error ? error.message : String(error));
  }
}

/** What became of the handed-over modules so far. */
export function appModuleHandOver(): ModuleHandOver {
  const { instrumented, refused } = registry();
  return { instrumented, refused };
}
