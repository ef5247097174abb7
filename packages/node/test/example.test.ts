import { join } from 'node:path';
import { runApp } from './helpers/run-app';

describe('examples', () => {
  it('two-services produces one trace across both services for every request', async () => {
    const result = await runApp([join(__dirname, '..', '..', '..', 'examples', 'two-services', 'run.mjs')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 of 3 requests produced one trace across both services.');
    expect(result.code).toBe(0);
  });

  it('queue prices every order in the trace and request that queued it', async () => {
    const result = await runApp([join(__dirname, '..', '..', '..', 'examples', 'queue', 'run.mjs')]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('3 of 3 orders were priced in the trace and request that queued them.');
    expect(result.code).toBe(0);
  }, 60_000);
});
