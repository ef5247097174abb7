import { join } from 'node:path';
import { runApp } from './helpers/run-app';

describe('examples', () => {
  it('two-services produces one trace across both services for every request', async () => {
    const result = await runApp([join(__dirname, '..', '..', '..', 'examples', 'two-services', 'run.mjs')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 of 3 requests produced one trace across both services.');
    expect(result.code).toBe(0);
  });
});
