import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import type { CodeBlock } from './markdown-blocks';
import { REPOSITORY } from './markdown-blocks';

/** Under @threadline/node, so a block's `require('@threadline/node')` resolves by self-reference. */
const RUNS = join(__dirname, '..', '.doc-runs');
const FIXTURES = join(__dirname, 'fixtures');

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A fresh directory per Markdown file, holding the fixture apps the docs' commands name. */
export function prepareDirectory(file: string): string {
  const directory = join(RUNS, file.replace(/[^a-zA-Z0-9]+/g, '-'));
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  cpSync(FIXTURES, directory, { recursive: true });
  // @threadline/testing is not a dependency of @threadline/node; docs/testing.md imports it.
  mkdirSync(join(directory, 'node_modules', '@threadline'), { recursive: true });
  symlinkSync(join(REPOSITORY, 'packages', 'testing'), join(directory, 'node_modules', '@threadline', 'testing'));
  return directory;
}

/** The environment of the test runner without any telemetry setting, plus `env`. */
export function cleanEnvironment(env: Record<string, string>): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || /^(OTEL_|THREADLINE_|NODE_OPTIONS$|JEST_|LOG_LEVEL$)/.test(key)) continue;
    clean[key] = value;
  }
  return { ...clean, ...env };
}

export function run(command: string, args: string[], directory: string, env: Record<string, string>, timeoutMillis = 30_000): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: directory, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMillis);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Stand-ins for the names a snippet takes from the app around it (`given=userId,db`). */
const STAND_INS: Record<string, string> = {
  userId: "const userId = 'u-7';",
  orderId: 'const orderId = 42;',
  imageId: 'const imageId = 7;',
  err: "const err = new Error('card declined');",
  db: 'const db = { query: async () => [] };',
  queue: 'const queue = [1, 2, 3];',
  channel: 'const channel = { checkQueue: async () => ({ messageCount: 3 }) };',
  server:
    "const server = require('node:http').createServer((q, r) => r.end()).listen(0, '127.0.0.1', () => setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50));",
  expect:
    'const expect = (actual) => ({ toBe: (wanted) => { if (actual !== wanted) throw new Error(`expected ${JSON.stringify(wanted)}, got ${JSON.stringify(actual)}`); } });',
};

/** An ES module: it imports, or its check says `module=esm` (top-level await). */
export function isModule(block: CodeBlock): boolean {
  return block.check?.options.module === 'esm' || /^\s*(import\s|export\s)/m.test(block.text);
}

/**
 * Writes a JavaScript block as a file and runs it with node. A block that does not call
 * `start()` itself is preloaded with the register entry point; `wrap=request` runs it inside
 * an HTTP request the file makes to itself, as an app's handler would.
 */
export async function runJavaScript(block: CodeBlock, directory: string, env: Record<string, string>): Promise<Outcome> {
  const options = block.check!.options;
  const given = (options.given ?? '').split(',').filter(Boolean).map((name) => {
    const standIn = STAND_INS[name];
    if (!standIn) throw new Error(`no stand-in for "${name}"`);
    return standIn;
  });
  const module = isModule(block) && options.wrap !== 'request';
  let source = block.text;
  if (options.wrap === 'request') {
    source = [
      "require('node:http').createServer(async (request, response) => {",
      '  try {',
      source.replace(/^/gm, '    '),
      '  } catch (error) { process.stdout.write(`block threw ${error}\\n`); process.exitCode = 1; }',
      "  response.end('ok');",
      "}).listen(0, '127.0.0.1', async function () {",
      "  await (await fetch(`http://127.0.0.1:${this.address().port}/`)).text();",
      '  this.close();',
      '});',
    ].join('\n');
  }
  source = [...given.map((line) => (module ? line.replace("require('node:http')", "(await import('node:http')).default") : line)), source].join('\n');
  let name = options.file ?? `block-${block.line}.${module ? 'mjs' : 'cjs'}`;
  writeFileSync(join(directory, name), source);
  if (options.bundle) {
    // A snippet for bundled apps runs bundled: its modules inside the bundle, Threadline outside.
    const bundled = `block-${block.line}.bundle.cjs`;
    buildSync({ entryPoints: [join(directory, name)], outfile: join(directory, bundled), bundle: true, platform: 'node', format: 'cjs', external: ['@threadline/node', 'pg-native'], logLevel: 'silent' });
    name = bundled;
  }
  const preload = /\bstart\(/.test(block.text) || options.preload === 'none' ? [] : [module ? '--import' : '--require', '@threadline/node/register'];
  return run(process.execPath, [...preload, name], directory, env);
}

/** Shell lines with `\` continuations joined and comments dropped. */
export function commandLines(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}

/** `NAME=value` assignments at the start of a command line. */
export function assignments(line: string): Record<string, string> {
  const found: Record<string, string> = {};
  const pattern = /^([A-Z][A-Z0-9_]*)=("[^"]*"|'[^']*'|\S*)\s*/;
  let rest = line;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    found[match[1]!] = match[2]!.replace(/^["']|["']$/g, '');
    rest = rest.slice(match[0].length);
  }
  return found;
}
