import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { readSmallFile } from '@threadline/core';

export interface LoadedPackage {
  name: string;
  /** The package's directory (`.../node_modules/pg`). */
  root: string;
  version?: string;
}

const MAX_PACKAGE_JSON_BYTES = 256 * 1024;

/** `.../node_modules/<name>` for each file of the CommonJS cache that belongs to package `name`. */
function rootOf(file: string, name: string): string | undefined {
  const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
  const at = file.lastIndexOf(marker);
  return at === -1 ? undefined : file.slice(0, at + marker.length - 1);
}

export function readVersion(root: string): string | undefined {
  const text = readSmallFile(join(root, 'package.json'), MAX_PACKAGE_JSON_BYTES);
  try {
    const version = text ? (JSON.parse(text) as { version?: unknown }).version : undefined;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Every copy of package `name` that has a file in the CommonJS cache, one per directory. */
export function loadedCopies(name: string, cachedFiles: readonly string[] = Object.keys(require.cache)): LoadedPackage[] {
  const roots = new Set<string>();
  for (const file of cachedFiles) {
    const root = rootOf(file, name);
    if (root) roots.add(root);
  }
  return [...roots].map((root) => ({ name, root, version: readVersion(root) }));
}

/** Names of the `@opentelemetry/*` packages with a file in the CommonJS cache. */
export function loadedOpenTelemetryPackages(cachedFiles: readonly string[] = Object.keys(require.cache)): string[] {
  const names = new Set<string>();
  const pattern = /[\\/]node_modules[\\/]@opentelemetry[\\/]([^\\/]+)[\\/]/g;
  for (const file of cachedFiles) for (const match of file.matchAll(pattern)) names.add(`@opentelemetry/${match[1]}`);
  return [...names].sort();
}

/** The exports of a cached module whose path ends with `suffix` (`/pg/lib/client.js`), without loading anything. */
export function cachedExports(root: string, suffix: string): unknown {
  const file = join(root, ...suffix.split('/'));
  return require.cache[file]?.exports;
}

/** The exports of the package's entry point, if it is already in the CommonJS cache. */
export function entryExports(loaded: LoadedPackage): unknown {
  try {
    // Resolving only: nothing is loaded.
    const file = createRequire(join(loaded.root, 'package.json')).resolve(loaded.name);
    return require.cache[file]?.exports;
  } catch {
    return undefined;
  }
}
