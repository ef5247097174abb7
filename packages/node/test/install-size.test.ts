import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const PACKAGES = resolve(__dirname, '..', '..');
/** What an app gets from `npm install @threadline/node`: the default install is kept at or under this. */
const MAX_INSTALL_BYTES = 40 * 1024 * 1024;

/** Bytes on disk under `dir`, as `du` counts them. */
function diskBytes(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

/** Installed packages: every folder in node_modules (and nested ones) with a package.json. */
function countPackages(modules: string): number {
  let count = 0;
  for (const entry of readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@') ? readdirSync(join(modules, entry.name)).map((name) => join(modules, entry.name, name)) : [join(modules, entry.name)];
    for (const dir of dirs) {
      count++;
      try {
        count += countPackages(join(dir, 'node_modules'));
      } catch {
        // no nested node_modules
      }
    }
  }
  return count;
}

describe('the install an app gets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'threadline-install-'));
    const tarballs = join(dir, 'tarballs');
    const app = join(dir, 'app');
    for (const name of ['core', 'tracing', 'metrics', 'log-correlation', 'node']) {
      execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(PACKAGES, name), stdio: 'ignore' });
    }
    const files = readdirSync(tarballs);
    const tarball = (name: string): string => `file:${join(tarballs, files.find((file) => file.startsWith(`threadline-${name}-`))!)}`;
    // The app depends on @threadline/node only; the overrides make npm take the other Threadline
    // packages from the same tarballs instead of the registry.
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'empty-app',
      version: '1.0.0',
      private: true,
      dependencies: { '@threadline/node': tarball('node') },
      overrides: Object.fromEntries(['core', 'tracing', 'metrics', 'log-correlation'].map((name) => [`@threadline/${name}`, tarball(name)])),
    }));
    writeFileSync(join(app, 'server.cjs'), "require('@threadline/node').start();\nprocess.stdout.write('started\\n');\n");
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: 'ignore', timeout: 240_000 });
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const app = (): string => join(dir, 'app');

  it(`stays within ${MAX_INSTALL_BYTES / 1024 / 1024} MB, without the optional gRPC and sdk-node packages`, () => {
    const modules = join(app(), 'node_modules');
    const bytes = diskBytes(modules);
    const packages = countPackages(modules);
    process.stdout.write(`npm install @threadline/node: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${packages} packages\n`);
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALL_BYTES);
    expect(packages).toBeGreaterThan(10);
    const installed = readdirSync(join(modules, '@opentelemetry'));
    expect(installed).toContain('api');
    expect(installed).not.toContain('sdk-node');
    expect(readdirSync(modules)).not.toContain('@grpc');
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', '@grpc/grpc-js'],
    ['OTEL_TRACES_EXPORTER', 'zipkin', '@opentelemetry/sdk-node'],
  ])('starts with %s=%s and one warning naming %s to install', (name, value, missing) => {
    const result = spawnSync(process.execPath, ['server.cjs'], { cwd: app(), env: { PATH: process.env.PATH, [name]: value }, encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout).toBe('started\n');
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('threadline '));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`npm install ${missing}@`);
  });
});
