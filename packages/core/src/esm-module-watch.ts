import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// `import x = require()` keeps the real module object (registerHooks is looked up on it).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import Module = require('node:module');

/** A file of an ES module package to hand over once it has run, as its module namespace. */
export interface EsmModuleTarget {
  /** Reported to `onLoaded`'s caller and used in diagnostics. */
  name: string;
  /** The end of the file's URL: `/node_modules/hono/dist/context.js`. The file has no default export. */
  path: string;
  /** Patches the module's own objects in place (a class prototype); the namespace itself is read-only. */
  onLoaded(namespace: Record<string, unknown>): void;
}

interface HookFile {
  name: string;
  path: string;
}

const LOADED_KEY = 'threadline.esm-module-loaded';
const HOOKED_KEY = Symbol.for('threadline.esm-hooks-installed');

type LoadedCallback = (name: string, namespace: Record<string, unknown>) => void;
type Holder = typeof globalThis & { [key: symbol]: unknown };

/**
 * The resolve and load hooks, as one self-contained function: it runs in this thread under
 * `module.registerHooks` (Node 22.15+, synchronous) and, stringified into a `data:` module, in
 * Node's hooks thread under `module.register` (Node 20, asynchronous), so it may use nothing from
 * outside itself. The file a target names resolves to a wrapper URL; the wrapper imports the
 * real file, re-exports it, and passes its namespace to the callback under `loadedKey`, after the
 * file ran and before any module that imports it runs.
 */
function createWrapHooks(files: HookFile[], loadedKey: string) {
  const MARK = '?threadline-esm-wrap=';
  type Resolved = { url: string; format?: string | null };
  type Loaded = { format?: string; source?: unknown; shortCircuit?: boolean };
  const then = <T, R>(value: T | Promise<T>, next: (resolved: T) => R): R | Promise<R> =>
    value && typeof (value as Promise<T>).then === 'function' ? (value as Promise<T>).then(next) : next(value as T);
  return {
    resolve(specifier: string, context: { parentURL?: string; conditions?: string[] }, nextResolve: (specifier: string, context: unknown) => Resolved | Promise<Resolved>) {
      return then(nextResolve(specifier, context), (result) => {
        // The wrapper's own import of the real file, and require() (registerHooks sees those too), pass.
        if (!result || typeof result.url !== 'string' || (context.parentURL ?? '').includes(MARK)) return result;
        if ((context.conditions ?? []).includes('require')) return result;
        const file = files.find((candidate) => result.url.endsWith(candidate.path));
        return file ? { ...result, url: `${result.url}${MARK}${encodeURIComponent(file.name)}` } : result;
      });
    },
    load(url: string, context: unknown, nextLoad: (url: string, context: unknown) => Loaded | Promise<Loaded>) {
      const at = url.indexOf(MARK);
      if (at === -1) return nextLoad(url, context);
      const original = JSON.stringify(url.slice(0, at));
      const name = JSON.stringify(decodeURIComponent(url.slice(at + MARK.length)));
      const source = `import * as namespace from ${original};\nexport * from ${original};\nglobalThis[Symbol.for(${JSON.stringify(loadedKey)})]?.(${name}, namespace);\n`;
      return { format: 'module', source, shortCircuit: true };
    },
  };
}

type ModuleWithHooks = typeof Module & {
  registerHooks?: (hooks: ReturnType<typeof createWrapHooks>) => unknown;
  register?: (specifier: string) => void;
};

/** Installs the hooks once per process (neither form can be taken back on Node 20). */
function installHooks(files: HookFile[]): void {
  const holder = globalThis as Holder;
  if (holder[HOOKED_KEY]) return;
  holder[HOOKED_KEY] = true;
  const loader = Module as ModuleWithHooks;
  if (typeof loader.registerHooks === 'function') {
    loader.registerHooks(createWrapHooks(files, LOADED_KEY));
  } else if (typeof loader.register === 'function' && !mainIsCommonJs()) {
    // The hooks thread costs ~55 ms of CPU at start-up here (Node 20, 2 cores) and stays: a
    // CommonJS app, which require()s the frameworks' CommonJS builds, does not need it.
    const source = `const hooks = (${createWrapHooks.toString()})(${JSON.stringify(files)}, ${JSON.stringify(LOADED_KEY)});\nexport const resolve = hooks.resolve;\nexport const load = hooks.load;\n`;
    loader.register(`data:text/javascript,${encodeURIComponent(source)}`);
  }
}

/**
 * Hands each target's module namespace to its `onLoaded` when the app imports it, for the ES
 * module builds of frameworks that never pass Node's CommonJS loader (see module-watch.ts for
 * CommonJS). Only files of packages the app can resolve are hooked: on Node 20 the hooks run in
 * a thread of their own that every later import goes through, a cost an app without the package
 * does not pay. Returns the function that stops handing over (the hooks stay, passing through).
 */
export function watchEsmModules(targets: readonly EsmModuleTarget[], isInstalled: (name: string) => boolean, onError: (error: unknown) => void): () => void {
  const wanted = targets.filter((target) => isInstalled(target.name));
  if (wanted.length === 0) return () => {};
  let active = true;
  const onLoaded: LoadedCallback = (name, namespace) => {
    if (!active) return;
    for (const target of wanted) {
      if (target.name !== name) continue;
      try {
        target.onLoaded(namespace);
      } catch (error) {
        onError(error);
      }
    }
  };
  (globalThis as Holder)[Symbol.for(LOADED_KEY)] = onLoaded;
  try {
    installHooks(wanted.map(({ name, path }) => ({ name, path })));
  } catch (error) {
    onError(error);
  }
  return () => {
    active = false;
  };
}

/** True when the main script is CommonJS: `.cjs`, or `.js` under a package.json without `"type": "module"`. */
function mainIsCommonJs(mainScript: string | undefined = process.argv[1]): boolean {
  if (!mainScript) return false;
  if (mainScript.endsWith('.cjs')) return true;
  if (!mainScript.endsWith('.js')) return false;
  try {
    for (let directory = dirname(resolve(mainScript)); ; directory = dirname(directory)) {
      const candidate = join(directory, 'package.json');
      if (existsSync(candidate)) return (JSON.parse(readFileSync(candidate, 'utf8')) as { type?: unknown }).type !== 'module';
      if (dirname(directory) === directory) return true;
    }
  } catch {
    return false;
  }
}

/**
 * True when the app can load `packageName`, resolved as its main script (else its working
 * directory) would: the package's `require` entry, which the ES module frameworks hooked here
 * also ship.
 */
export function appCanResolve(packageName: string, mainScript: string | undefined = process.argv[1]): boolean {
  const from = [mainScript ? resolve(mainScript) : undefined, join(process.cwd(), 'index.js')];
  for (const file of from) {
    if (!file) continue;
    try {
      Module.createRequire(file).resolve(packageName);
      return true;
    } catch {
      // Not from here.
    }
  }
  return false;
}
