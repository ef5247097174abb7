import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppPackage } from './config/resolve-config';

/**
 * Finds the app's own package.json (nearest to the main script, else the working directory)
 * for the default service name and version. Any failure just means "no package".
 */
export function readAppPackage(mainScript: string | undefined = process.argv[1]): AppPackage {
  try {
    let directory = mainScript ? dirname(resolve(mainScript)) : process.cwd();
    for (;;) {
      const candidate = join(directory, 'package.json');
      if (existsSync(candidate) && !candidate.includes(`${join('node_modules', '')}`)) {
        const parsed = JSON.parse(readFileSync(candidate, 'utf8')) as Record<string, unknown>;
        return {
          name: typeof parsed.name === 'string' && parsed.name ? parsed.name : undefined,
          version: typeof parsed.version === 'string' && parsed.version ? parsed.version : undefined,
        };
      }
      const parent = dirname(directory);
      if (parent === directory) return {};
      directory = parent;
    }
  } catch {
    return {};
  }
}
