import { runApp } from './helpers/run-app';

// jest's loader is neither Node's CommonJS nor its ESM loader, so both are checked in a child.
const PACKAGES = ['@threadline/core', '@threadline/tracing', '@threadline/node', '@threadline/testing'];

describe('CommonJS and ESM entries', () => {
  it.each(PACKAGES)('%s exposes the same names to import and require', async (name) => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const esm = Object.keys(await import('${name}')).filter((key) => key !== 'default').sort();
      const cjs = Object.keys(require('${name}')).filter((key) => key !== '__esModule').sort();
      process.stdout.write(JSON.stringify({ esm, cjs }));`;
    const result = await runApp(['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    const { esm, cjs } = JSON.parse(result.stdout) as { esm: string[]; cjs: string[] };
    expect(esm.length).toBeGreaterThan(0);
    expect(esm).toEqual(cjs);
  });

  it('shares one instance between an ESM import and a CommonJS require of @threadline/node', async () => {
    const script = `
      import { createRequire } from 'node:module';
      import { start } from '@threadline/node';
      const require = createRequire(process.cwd() + '/');
      const fromEsm = start({ tracesExporter: ['none'] });
      const fromCjs = require('@threadline/node').start();
      process.stdout.write(String(fromEsm === fromCjs));`;
    const result = await runApp(['--input-type=module', '-e', script]);
    expect(result.stdout).toBe('true');
    expect(result.stderr).toContain('start() was called more than once');
  });
});
