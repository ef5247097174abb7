import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '@threadline/core';
import { REPOSITORY, documentedFiles, readBlocks } from './markdown-blocks';
import { knownVariables, variablesIn } from './source-facts';

// The prose of README.md and docs/ names variables and functions too: each must be one the
// code reads or exports, so a renamed setting or export cannot leave the docs behind.

const docs = documentedFiles().map((file) => ({ file, text: readFileSync(join(REPOSITORY, file), 'utf8') }));
const packages = readdirSync(join(REPOSITORY, 'packages'));

/** Every `export { a, b }` and `export function a` name of each package's src/index.ts. */
function exportsOf(name: string): Set<string> {
  const index = join(REPOSITORY, 'packages', name, 'src', 'index.ts');
  if (!existsSync(index)) return new Set();
  const source = readFileSync(index, 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of match[1]!.split(',')) names.add(part.trim().split(/\s+as\s+/).pop()!.trim());
  }
  for (const match of source.matchAll(/export\s+(?:async\s+)?(?:function|const|class)\s+(\w+)/g)) names.add(match[1]!);
  names.delete('');
  return names;
}

function sources(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory).flatMap((name) => {
    if (['node_modules', 'dist', 'bundle', 'esm'].includes(name) || name.startsWith('.')) return [];
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|mjs|cjs|js)$/.test(name) ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the names in README.md and docs/', () => {
  it('every OTEL_* and THREADLINE_* variable is one Threadline, its tests or its scripts read', () => {
    const code = [...packages.map((name) => join(REPOSITORY, 'packages', name)), join(REPOSITORY, 'scripts'), join(REPOSITORY, 'examples'), join(REPOSITORY, 'benchmarks')]
      .flatMap(sources)
      .join('\n');
    const known = new Set([...knownVariables(), ...SETTINGS.flatMap((setting) => (setting.env ? [setting.env] : []))]);
    // Named on purpose as what Threadline does not read (docs/configuration.md says so).
    const notRead = new Set(['OTEL_NODE_RESOURCE_DETECTORS']);
    const unknown = docs.flatMap(({ file, text }) =>
      variablesIn(text)
        .filter((name) => !known.has(name) && !notRead.has(name) && !code.includes(name))
        .map((name) => `${file}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('every function imported from a @threadline package in a code block is one it exports', () => {
    const missing: string[] = [];
    for (const block of docs.flatMap(({ file }) => readBlocks(file))) {
      const imports = [
        ...block.text.matchAll(/(?:const|import)\s*\{([^}]*)\}\s*(?:=\s*require\(|from\s*)'@threadline\/([\w-]+)'/g),
      ];
      for (const [, names, name] of imports) {
        const exported = exportsOf(name!);
        for (const imported of names!.split(',').map((part) => part.trim().split(/\s*:\s*|\s+as\s+/)[0]!).filter(Boolean)) {
          if (!exported.has(imported)) missing.push(`${block.file}:${block.line}: ${imported} from @threadline/${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every Threadline function the prose names as `name()` is exported by a package', () => {
    const exported = new Set(packages.flatMap((name) => [...exportsOf(name)]));
    // Methods of a returned object, and functions of Node, PromQL or other libraries.
    const notOurs = new Set(['require', 'rate', 'sum', 'pino', 'next', 'subscribe', 'sendToQueue', 'forceFlush', 'shutdown', 'spans', 'logRecords', 'metrics',
      // Methods of the message clients (JetStream consumers, amqplib channels).
      'fetch', 'consume', 'get', 'nak']);
    const missing = docs.flatMap(({ file, text }) =>
      [...text.matchAll(/`([a-z][A-Za-z]+)\(/g)].map((match) => match[1]!).filter((name) => !notOurs.has(name) && !exported.has(name)).map((name) => `${file}: ${name}`),
    );
    expect(missing).toEqual([]);
  });

  it('the README\'s benchmark figures are the last run\'s, in docs/benchmarks.md', () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    const benchmarks = readFileSync(join(REPOSITORY, 'docs', 'benchmarks.md'), 'utf8');
    const row = (label: string): string[] => benchmarks.split('\n').filter((line) => line.startsWith(`| ${label}`)).map((line) => line.split('|').map((cell) => cell.trim())).map((cells) => cells.join('|'));
    const cells = (line: string): string[] => line.split('|');
    const ratios = (label: string): string => {
      const values = row(label).map((line) => Number(cells(line)[3])).filter((value) => !Number.isNaN(value));
      return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
    };
    expect(readme).toContain(`a service keeps ${ratios('Threadline, 100% sampling')} of its uninstrumented throughput`);
    expect(readme).toContain(`against ${ratios('stock zero-code |')} with the stock setup`);
    const startup = (label: string): string[] => cells(row(label).find((line) => cells(line).length === 7)!);
    const threadline = startup('Threadline --import register');
    const stock = startup('stock zero-code (');
    expect(readme).toContain(`adds ${threadline[3]} ms and ${threadline[5]} MB to an empty script`);
    expect(readme).toContain(`against ${stock[3]} ms and ${stock[5]} MB for the stock OpenTelemetry`);
  });

  it('the README links every page of docs/', () => {
    const readme = readFileSync(join(REPOSITORY, 'README.md'), 'utf8');
    const unlinked = documentedFiles().filter((file) => file.startsWith('docs/') && !readme.includes(`](${file})`));
    expect(unlinked).toEqual([]);
  });
});
