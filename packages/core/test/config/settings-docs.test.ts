import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSettingsTable } from '../../src/config/settings-table';

describe('docs/configuration.md', () => {
  it('carries the same settings table as the code (regenerate with `pnpm docs:config`)', () => {
    const docs = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'configuration.md'), 'utf8');
    const table = docs.slice(docs.indexOf('<!-- settings:start -->') + '<!-- settings:start -->'.length, docs.indexOf('<!-- settings:end -->')).trim();
    expect(table).toBe(renderSettingsTable());
  });
});
