import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPOSITORY } from './markdown-blocks';

function walk(directory: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(directory)) return [];
  const found: string[] = [];
  for (const name of readdirSync(directory)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) found.push(...walk(path, accept));
    else if (accept(path)) found.push(path);
  }
  return found;
}

const packageSources = (): string[] =>
  readdirSync(join(REPOSITORY, 'packages')).flatMap((name) => walk(join(REPOSITORY, 'packages', name, 'src'), (path) => path.endsWith('.ts')));

/**
 * The environment variables Threadline reads: every `OTEL_*` and `THREADLINE_*` name in the
 * configuration code (the settings table and the deployment variables it reads beside it).
 */
export function knownVariables(): Set<string> {
  const names = new Set<string>();
  for (const path of walk(join(REPOSITORY, 'packages', 'core', 'src', 'config'), (file) => file.endsWith('.ts'))) {
    for (const match of readFileSync(path, 'utf8').matchAll(/'((?:OTEL|THREADLINE)_[A-Z0-9_]+)'/g)) names.add(match[1]!);
  }
  return names;
}

/** `OTEL_*` / `THREADLINE_*` names in a text (a name ending in `_*` or `_` is a family, not a name). */
export function variablesIn(text: string): string[] {
  return [...text.matchAll(/\b((?:OTEL|THREADLINE)_[A-Z0-9_]*[A-Z0-9])\b(?![_*])/g)].map((match) => match[1]!);
}

/**
 * Every message the packages can print, as a regular expression: string and template literals
 * (joined by `+`) passed to the diagnostics, each `${...}` standing for any text.
 */
export function messagePatterns(): RegExp[] {
  const patterns: RegExp[] = [];
  for (const path of packageSources()) {
    const source = readFileSync(path, 'utf8');
    for (const call of source.matchAll(/diagnostics\.(?:warn|warnOnce|error|info|debug)\(/g)) {
      const literal = literalAfter(source, call.index + call[0].length, call[0].includes('warnOnce'));
      if (literal !== undefined) patterns.push(new RegExp(`^${literal}$`));
    }
  }
  return patterns;
}

/** Reads the (possibly concatenated) literal starting at `start`, as a regular-expression source. */
function literalAfter(source: string, start: number, skipKey: boolean): string | undefined {
  let position = start;
  const skipSpace = (): void => {
    while (/\s/.test(source[position] ?? '')) position++;
  };
  const readOne = (): string | undefined => {
    skipSpace();
    const quote = source[position];
    if (quote !== '`' && quote !== "'") return undefined;
    position++;
    let pattern = '';
    while (position < source.length && source[position] !== quote) {
      if (quote === '`' && source.startsWith('${', position)) {
        let depth = 1;
        position += 2;
        while (depth > 0 && position < source.length) {
          if (source[position] === '{') depth++;
          if (source[position] === '}') depth--;
          position++;
        }
        pattern += '.+?';
        continue;
      }
      if (source[position] === '\\') position++;
      pattern += source[position]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      position++;
    }
    position++;
    return pattern;
  };
  if (skipKey) {
    if (readOne() === undefined) return undefined;
    skipSpace();
    if (source[position] !== ',') return undefined;
    position++;
  }
  let pattern = readOne();
  if (pattern === undefined) return undefined;
  for (;;) {
    skipSpace();
    if (source[position] !== '+') return pattern;
    position++;
    const next = readOne();
    if (next === undefined) return pattern + '.+?';
    pattern += next;
  }
}

/** The root package.json's scripts. */
export function rootScripts(): Record<string, string> {
  return (JSON.parse(readFileSync(join(REPOSITORY, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
}

/**
 * Whether an example file is exercised: named (by its path or its base name) in a test, a root
 * script, or an example's run.mjs that is itself named by a test or a script.
 */
export function isExercised(file: string): boolean {
  const base = file.split('/').pop()!;
  const tests = readdirSync(join(REPOSITORY, 'packages')).flatMap((name) =>
    walk(join(REPOSITORY, 'packages', name, 'test'), (path) => path.endsWith('.ts') && !path.includes(`${join('test', 'docs')}`)),
  );
  const runners = [JSON.stringify(rootScripts()), ...tests.map((path) => readFileSync(path, 'utf8'))];
  const mentions = (text: string, name: string): boolean => text.includes(name);
  if (runners.some((text) => mentions(text, file) || mentions(text, base))) return true;
  // A file an exercised example's run.mjs (or its lib) loads is exercised with it.
  const example = /^examples\/([^/]+)\//.exec(file);
  if (!example) return false;
  const exampleRoot = join(REPOSITORY, 'examples', example[1]!);
  const run = join(exampleRoot, 'run.mjs');
  if (!existsSync(run) || !runners.some((text) => mentions(text, `examples/${example[1]}/run.mjs`) || mentions(text, `'${example[1]}', 'run.mjs'`))) return false;
  const exampleSources = walk(exampleRoot, (path) => /\.(mjs|cjs|js)$/.test(path)).map((path) => readFileSync(path, 'utf8'));
  return exampleSources.some((text) => mentions(text, base.replace(/\.(mjs|cjs|js)$/, ''))) || relative(exampleRoot, join(REPOSITORY, file)) === 'run.mjs';
}
