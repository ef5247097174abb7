// `import x = require()` keeps the real module object, also when the app's bundler wraps Threadline.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
import Module = require('node:module');
import { readSmallFile } from '@threadline/core';

/** What a Threadline bundler plugin writes at the top of a bundle (see @threadline/esbuild-plugin). */
export interface BundleMarker {
  bundler: string;
  /** Instrumented packages the bundle leaves to Node's module loader. */
  external: readonly string[];
}

export const BUNDLE_MARKER_KEY = Symbol.for('threadline.bundle');

/** The plugins' footer stores the marker, or calls this slot when Threadline started first. */
type Holder = typeof globalThis & { [BUNDLE_MARKER_KEY]?: BundleMarker | ((marker: BundleMarker) => void) };

/**
 * Bundler runtimes that sit at the head of a bundle: esbuild's CommonJS/ESM interop helpers
 * (emitted whenever a CommonJS package such as pg or pino is bundled), webpack's bootstrap.
 * Minified output renames them; the plugins' marker does not depend on them.
 */
const BUNDLER_HEADS: readonly [RegExp, string][] = [
  [/\b__commonJS\b|\b__toESM\b/, 'esbuild'],
  [/\b__webpack_require__\b|webpackBootstrap/, 'webpack'],
];
const HEAD_BYTES = 4096;

/** The marker a Threadline plugin's footer left, when the footer ran before `start()`. */
export function storedBundleMarker(): BundleMarker | undefined {
  const stored = (globalThis as Holder)[BUNDLE_MARKER_KEY];
  return stored && typeof stored === 'object' ? stored : undefined;
}

/**
 * Is this app bundled, by a bundler without Threadline's plugin (whose footer says so
 * exactly)? Two cheap checks: Threadline's own code running inside a bundler's module wrapper
 * (its `module` is then not a Node module); the first 4 KiB of the main script naming a
 * bundler's runtime (for Threadline started by `--import`/`--require` before the bundle runs).
 * One 4 KiB read at most.
 */
export function detectBundle(ownModule: unknown, mainScript: string | undefined): BundleMarker | undefined {
  if (ownModule !== undefined && !(ownModule instanceof Module)) return { bundler: 'a bundler', external: [] };
  const head = (mainScript ? readSmallFile(mainScript, HEAD_BYTES) : undefined) ?? '';
  for (const [pattern, bundler] of BUNDLER_HEADS) if (pattern.test(head)) return { bundler, external: [] };
  return undefined;
}

/** Calls `onMarker` when a plugin's footer runs after Threadline started. */
export function awaitBundleMarker(onMarker: (marker: BundleMarker) => void): void {
  const holder = globalThis as Holder;
  if (holder[BUNDLE_MARKER_KEY] === undefined) holder[BUNDLE_MARKER_KEY] = onMarker;
}
