import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { useReceiver } from '../helpers/receiver';
import { assignments, cleanEnvironment, commandLines, prepareDirectory, run, runJavaScript } from './block-runner';
import type { CodeBlock } from './markdown-blocks';
import { REPOSITORY, documentedFiles, normalize, readBlocks } from './markdown-blocks';
import { SETTINGS } from '@threadline/core';
import { freePort } from '@threadline/testing';
import type { Emitted } from './query-names';
import { flatten, unknownNames } from './query-names';
import { isExercised, knownVariables, messagePatterns, rootScripts, variablesIn } from './source-facts';

// Every code block of README.md and docs/*.md says, in the comment before it, how it is checked:
// run against a receiver, compared with the example it was copied from, or checked against the
// code's own names. A block with no such comment fails, so a new block cannot slip in unchecked.
// The queries of docs/debugging-in-production.md are checked against a run of the demo, in
// incident-queries.test.ts.

const KINDS = ['run', 'write', 'excerpt', 'command', 'env', 'output', 'external', 'query', 'diagram', 'generated'];
const blocks = documentedFiles().flatMap(readBlocks);
const known = new Set([...knownVariables(), ...SETTINGS.flatMap((setting) => (setting.env ? [setting.env] : []))]);
const label = (block: CodeBlock): string => `${block.file}:${block.line} (${block.check?.kind ?? 'no check'})`;
const directories = new Map<string, string>();
const directoryFor = (file: string): string => {
  if (!directories.has(file)) directories.set(file, prepareDirectory(file));
  return directories.get(file)!;
};

/** Polls `check` (which may be async) until it gives a truthy value; fails after `timeoutMillis`. */
async function eventually<T>(check: () => T | Promise<T>, timeoutMillis: number): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMillis} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the code blocks of README.md and docs/', () => {
  const receiver = useReceiver();
  const baseEnv = (): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'docs',
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });

  it('are all found, and each says how it is checked', () => {
    expect(blocks.length).toBeGreaterThan(40);
    const unchecked = blocks.filter((block) => !block.check || !KINDS.includes(block.check.kind)).map(label);
    expect(unchecked).toEqual([]);
  });

  it('name only environment variables Threadline reads', () => {
    const unknown = blocks.flatMap((block) => variablesIn(block.text).filter((name) => !known.has(name)).map((name) => `${label(block)}: ${name}`));
    expect(unknown).toEqual([]);
  });

  it.each(blocks.filter((block) => block.check?.kind === 'excerpt').map((block) => [label(block), block] as const))(
    'excerpt %s is in its example, and the example runs',
    (_name, block) => {
      const paths = (block.check!.options.path ?? '').split(',').filter(Boolean);
      expect(paths.length).toBeGreaterThan(0);
      const source = paths.map((path) => normalize(readFileSync(join(REPOSITORY, path), 'utf8').replace(/\/\*\*[\s\S]*?\*\/|\/\/.*$/gm, ''))).join('\n');
      if (block.check!.options.lines) {
        // A summary of declarations: each line, without its comment, is in the source.
        for (const line of normalize(block.text.replace(/\/\/.*$/gm, '')).split('\n')) expect({ line, found: source.includes(line) }).toEqual({ line, found: true });
      } else {
        expect(normalize(paths.map((path) => readFileSync(join(REPOSITORY, path), 'utf8')).join('\n'))).toContain(normalize(block.text));
      }
      // Library sources are built and tested; an example must be run by a test or a script.
      for (const path of paths.filter((candidate) => !candidate.startsWith('packages/'))) expect({ path, exercised: isExercised(path) }).toEqual({ path, exercised: true });
    },
  );

  it('generated pages name a program that exists and that a test or script runs', () => {
    for (const by of new Set(blocks.filter((block) => block.check?.kind === 'generated').map((block) => block.check!.options.by!))) {
      expect({ by, exists: existsSync(join(REPOSITORY, by)), exercised: isExercised(by) }).toEqual({ by, exists: true, exercised: true });
    }
  });

  it.each(blocks.filter((block) => block.check?.kind === 'external').map((block) => [label(block), block] as const))(
    'external %s says why it cannot run here',
    (_name, block) => {
      expect((block.check!.options.reason ?? '').length).toBeGreaterThan(10);
    },
  );

  it.each(blocks.filter((block) => block.check?.kind === 'command').map((block) => [label(block), block] as const))(
    'command %s names scripts and files that exist',
    (_name, block) => {
      const scripts = rootScripts();
      for (const line of commandLines(block.text)) {
        for (const command of line.split(/&&|;/).map((part) => part.trim())) {
          const pnpm = /^pnpm (?:run )?([\w:-]+)/.exec(command);
          if (pnpm && !['install', 'exec', 'add'].includes(pnpm[1]!)) expect({ command, script: pnpm[1], exists: pnpm[1]! in scripts }).toEqual({ command, script: pnpm[1], exists: true });
          const node = /(?:^|\s)node ([\w./-]+\.m?[jc]?s)\b/.exec(command);
          if (node) expect({ command, exists: existsSync(join(REPOSITORY, node[1]!)) }).toEqual({ command, exists: true });
        }
      }
    },
  );

  it.each(blocks.filter((block) => block.check?.kind === 'output' && !block.check.options.of).map((block) => [label(block), block] as const))(
    'output %s is what the code prints',
    (_name, block) => {
      const patterns = messagePatterns();
      for (const line of block.text.split('\n').filter((text) => text.trim() !== '')) {
        const message = /^threadline (warn|error|info|debug): (.*)$/.exec(line);
        expect({ line, prefixed: Boolean(message) }).toEqual({ line, prefixed: true });
        expect({ line, printed: patterns.some((pattern) => pattern.test(message![2]!)) }).toEqual({ line, printed: true });
      }
    },
  );

  it('the demo printout in the README has the demo\'s headings and the bug its seed plants', () => {
    const block = blocks.find((candidate) => candidate.check?.kind === 'output' && candidate.check.options.of === 'demo');
    expect(block).toBeDefined();
    const printer = readFileSync(join(REPOSITORY, 'examples', 'incident', 'lib', 'print-investigation.mjs'), 'utf8');
    const headings = block!.text.split('\n').filter((line) => /^(===|\d\. )/.test(line));
    expect(headings.length).toBeGreaterThanOrEqual(8);
    for (const heading of headings) expect({ heading, printed: printer.replace(/\\'/g, "'").includes(heading.replace(/^\d\. /, '').replace(/^=== | ===$/g, '')) }).toEqual({ heading, printed: true });
    const seed = Number(block!.check!.options.seed);
    // jest cannot import an ES module: ask node what the seed plants.
    const scenario = pathToFileURL(join(REPOSITORY, 'examples', 'incident', 'lib', 'scenario.mjs')).href;
    const planted = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', `const { drawScenario } = await import(${JSON.stringify(scenario)}); console.log(JSON.stringify(drawScenario(${seed}).planted));`], { encoding: 'utf8' }),
    ) as Record<string, string>;
    for (const key of ['accountType', 'flag', 'service', 'version', 'mode']) {
      expect(block!.text).toMatch(new RegExp(`^ +${key} +${planted[key]!.replace(/\./g, '\\.')} +found$`, 'm'));
    }
    expect(isExercised('examples/incident/run.mjs')).toBe(true);
  });

  it.each(blocks.filter((block) => block.check?.kind === 'diagram').map((block) => [label(block), block] as const))(
    'diagram %s matches the packages and their dependencies',
    (_name, block) => {
      const dependenciesOf = (name: string): string[] => {
        const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'packages', name.split('/')[1]!, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
        return Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).filter((dependency) => dependency.startsWith('@threadline/'));
      };
      for (const line of block.text.split('\n')) {
        // `a -> b, c -> d`: a depends on b and c (and may on d), b and c on d, and on nothing else.
        const steps = line.split(/\s+->\s+/).map((step) => [...step.matchAll(/@threadline\/[\w-]+/g)].map((match) => match[0]));
        steps.forEach((step, index) => {
          for (const name of step) {
            const next = steps[index + 1] ?? [];
            const later = steps.slice(index + 1).flat();
            const actual = dependenciesOf(name);
            expect({ name, missing: next.filter((dependency) => !actual.includes(dependency)), unshown: actual.filter((dependency) => !later.includes(dependency)) }).toEqual({ name, missing: [], unshown: [] });
          }
        });
      }
    },
  );

  it('queries name only metrics, labels, attributes and fields a service really emits', async () => {
    const queries = blocks.filter((block) => block.check?.kind === 'query');
    expect(queries.length).toBeGreaterThan(5);
    const directory = directoryFor('queries');
    const metricsPort = await freePort();
    const app = spawn(process.execPath, ['--require', '@threadline/node/register', 'incident-service.cjs'], {
      cwd: directory,
      env: cleanEnvironment({ ...baseEnv(), OTEL_SERVICE_NAME: 'orders', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    app.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise((resolve) => app.on('close', resolve));
    try {
      const port = Number((await eventually(() => /^listening (\d+)$/m.exec(stdout), 10_000))[1]);
      expect((await fetch(`http://127.0.0.1:${port}/checkout`, { method: 'POST' })).status).toBe(502);
      // The database duration comes with the first operation; the runtime metrics a second after start.
      const scrape = await eventually(async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return text.includes('nodejs_eventloop_delay_p99_seconds') && text.includes('db_client_operation_duration_seconds_count') && text.includes('db_client_connection_pending_requests') ? text : undefined;
      }, 10_000);
      app.kill('SIGTERM');
      await exited;
      await eventually(() => receiver.logRecords().length >= 2 && receiver.spans().some((span) => span.attributes['db.system.name'] === 'postgresql'), 5_000);
      const emitted: Emitted = {
        scrape,
        spanAttributes: new Set(receiver.spans().flatMap((span) => Object.keys(span.attributes))),
        resourceAttributes: new Set(receiver.spans().flatMap((span) => Object.keys(span.resource))),
        logAttributes: new Set(receiver.logRecords().flatMap((record) => Object.keys(record.attributes))),
        logFields: new Set(stdout.split('\n').filter((line) => line.startsWith('{')).flatMap((line) => flatten(JSON.parse(line) as Record<string, unknown>))),
      };
      const unknown = queries.flatMap((block) => unknownNames(block.check!.options.lang ?? block.language, block.text, emitted).map((name) => `${label(block)}: ${name}`));
      expect(unknown).toEqual([]);
    } finally {
      app.kill('SIGKILL');
    }
  });

  // The blocks that run, in document order: a `write` block leaves a file for the next ones.
  const lastOutput = new Map<string, string>();
  const runsInOrder = (block: CodeBlock): boolean =>
    ['run', 'write', 'env'].includes(block.check?.kind ?? '') || (block.check?.kind === 'output' && block.check.options.of === 'log-line');
  it.each(blocks.filter(runsInOrder).map((block) => [label(block), block] as const))(
    '%s runs',
    async (_name, block) => {
      const directory = directoryFor(block.file);
      const options = block.check!.options;
      if (block.check!.kind === 'output') {
        // A JSON log line shown after the block that writes it: the same fields as the real one.
        const shown = JSON.parse(block.text) as Record<string, unknown>;
        const written = (lastOutput.get(block.file) ?? '')
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.event === shown.event);
        expect(written).toBeDefined();
        expect(Object.keys(written!).sort()).toEqual(Object.keys(shown).sort());
        for (const key of ['level', 'event', 'error.type', 'error.message']) expect(written![key]).toEqual(shown[key]);
        return;
      }
      if (block.check!.kind === 'write') {
        writeFileSync(join(directory, options.file!), block.text);
        return;
      }
      if (block.check!.kind === 'env') return checkEnvironment(block, directory);
      if (['js', 'ts', 'javascript'].includes(block.language)) {
        const outcome = await runJavaScript(block, directory, { ...baseEnv(), ...parseEnv(options.env) });
        lastOutput.set(block.file, outcome.stdout);
        await expectOutcome(block, outcome);
        return;
      }
      expect(block.language).toBe('sh');
      await runCommands(block, directory);
    },
  );

  function parseEnv(text: string | undefined): Record<string, string> {
    return Object.fromEntries((text ?? '').split(',').filter(Boolean).map((pair) => pair.split(':') as [string, string]));
  }

  async function expectOutcome(block: CodeBlock, outcome: { code: number | null; stdout: string; stderr: string }, service = 'docs'): Promise<void> {
    const options = block.check!.options;
    const context = { block: label(block), stdout: outcome.stdout, stderr: outcome.stderr };
    expect({ ...context, code: outcome.code }).toEqual({ ...context, code: Number(options.exit ?? 0) });
    if (!options.warnings) expect({ ...context, warnings: outcome.stderr.split('\n').filter((line) => line.startsWith('threadline ')) }).toEqual({ ...context, warnings: [] });
    for (const expected of (options.expect ?? '').split(',').filter(Boolean)) {
      const [what, value] = expected.split(':') as [string, string | undefined];
      if (what === 'spans') await eventually(() => receiver.spans().some((span) => span.resource['service.name'] === (value ?? service)), 5_000);
      else if (what === 'no-spans') {
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.spans()).toEqual([]);
      } else if (what === 'logs') await eventually(() => receiver.logRecords().some((record) => value === undefined || record.body === value), 5_000);
      else if (what === 'metric') await eventually(() => receiver.metrics().some((metric) => metric.name === value), 5_000);
      else if (what === 'stdout') expect(outcome.stdout).toContain(value);
      else throw new Error(`unknown expectation ${expected}`);
    }
  }

  /**
   * Runs a shell block line by line: the viewer on free ports in place of 4318/4319, a service
   * port in place of 3000, `&` lines in the background (sent SIGTERM at the end, so Threadline
   * flushes), `curl` retried until the service answers. What arrived is checked at the viewer
   * when the block starts one, else at the receiver.
   */
  async function runCommands(block: CodeBlock, directory: string): Promise<void> {
    const ports = { otlp: await freePort(), ui: await freePort(), app: await freePort() };
    const usesViewer = /npx threadline-viewer/.test(block.text);
    const background: { line: string; child: ReturnType<typeof spawn>; exited: Promise<{ code: number | null; stderr: string }> }[] = [];
    const services = new Set<string>();
    // The viewer's port stands in for the default 4318, so a service with no endpoint finds it.
    const env = usesViewer ? { OTEL_SERVICE_NAME: 'docs', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.otlp}` } : baseEnv();
    receiver.clear();
    try {
      for (const original of commandLines(block.text)) {
        let line = original.replace(/\b3000\b/g, String(ports.app));
        if (usesViewer) line = line.replace(/\b4318\b/g, String(ports.otlp)).replace(/\b4319\b/g, String(ports.ui));
        else line = line.replace(/(_ENDPOINT=)(https?:\/\/[^/\s]+)/g, `$1${receiver.url}`);
        if (line.startsWith('npx threadline-viewer')) {
          // As typed, resolved from the repository's own dependencies, never fetched; on free ports.
          const viewer = spawn('npx', ['--no-install', 'threadline-viewer', '--port', String(ports.otlp), '--ui-port', String(ports.ui)], { cwd: directory, env: cleanEnvironment({}), stdio: 'ignore', detached: true });
          background.push({ line, child: viewer, exited: new Promise((resolve) => viewer.on('close', (code) => resolve({ code, stderr: '' }))) });
          await eventually(async () => (await fetch(`http://127.0.0.1:${ports.ui}/api/stats`).catch(() => undefined))?.ok === true, 10_000);
          continue;
        }
        if (/\bnode\b/.test(line)) services.add(assignments(line).OTEL_SERVICE_NAME ?? 'docs');
        if (line.endsWith('&')) {
          const child = spawn('sh', ['-c', line.slice(0, -1).trim().replace(/^((?:[A-Z_][A-Z0-9_]*=(?:"[^"]*"|'[^']*'|\S+)\s+)*)/, '$1exec ')], { cwd: directory, env: cleanEnvironment({ ...env, PORT: String(ports.app) }), stdio: ['ignore', 'pipe', 'pipe'] });
          let stderr = '';
          let stdout = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.stdout.on('data', (chunk: Buffer) => lastOutput.set(block.file, (stdout += chunk.toString())));
          background.push({ line, child, exited: new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr }))) });
          continue;
        }
        if (line.startsWith('curl ')) {
          const outcome = await eventually(async () => {
            const attempt = await run('sh', ['-c', `${line} --fail --silent --show-error`], directory, {});
            return attempt.code === 0 ? attempt : undefined;
          }, 10_000);
          expect(outcome.code).toBe(0);
          continue;
        }
        const outcome = await run('sh', ['-c', line], directory, env);
        if (usesViewer) expect({ line, stderr: outcome.stderr, code: outcome.code }).toEqual({ line, stderr: '', code: 0 });
        else await expectOutcome(block, outcome, assignments(line).OTEL_SERVICE_NAME ?? 'docs');
      }
      for (const service of background.filter(({ line }) => !line.startsWith('npx'))) {
        service.child.kill('SIGTERM');
        const { stderr } = await service.exited;
        expect({ line: service.line, warnings: stderr.split('\n').filter((text) => text.startsWith('threadline ')) }).toEqual({ line: service.line, warnings: [] });
      }
      for (const service of usesViewer ? services : []) {
        await eventually(async () => {
          const answer = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/traces?service=${service}`)).json()) as { total: number };
          return answer.total > 0;
        }, 10_000);
      }
      if (!usesViewer && background.length > 0) for (const service of services) await eventually(() => receiver.spans().some((span) => span.resource['service.name'] === service), 5_000);
    } finally {
      for (const { child, line } of background) {
        // npx runs the viewer as its child: end the whole group.
        if (line.startsWith('npx') && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      }
    }
  }

  /** Each line's assignments, given to a service that starts: none may be refused with a warning. */
  async function checkEnvironment(block: CodeBlock, directory: string): Promise<void> {
    for (const line of commandLines(block.text)) {
      const install = /^npm install (@?[\w/.-]+)@([\d.]+)$/.exec(line);
      if (install) {
        const manifest = join(REPOSITORY, 'packages', 'node', 'node_modules', install[1]!, 'package.json');
        expect({ line, version: (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version }).toEqual({ line, version: install[2] });
        continue;
      }
      const env = assignments(line);
      expect({ line, assignments: Object.keys(env).length > 0 }).toEqual({ line, assignments: true });
      for (const [name, value] of Object.entries(env)) env[name] = value.replace(/<[^>]+>/g, 'placeholder');
      // No export is attempted: the check is what the configuration makes of the values.
      const outcome = await run(process.execPath, ['-e', "require('@threadline/node').start(); require('@threadline/node').getTelemetry().shutdown();"], directory, {
        OTEL_SERVICE_NAME: 'docs',
        ...env,
      });
      const refused = outcome.stderr.split('\n').filter((text) => Object.keys(env).some((name) => text.includes(name)));
      expect({ line, code: outcome.code, refused }).toEqual({ line, code: 0, refused: [] });
    }
  }
});
