import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WARNINGS } from '@threadline/core';
import { PROBLEM_LIST } from '../src/doctor/problems';
import { renderTroubleshootingDoc } from '../src/doctor/troubleshooting-doc';

describe('docs/troubleshooting.md', () => {
  const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'troubleshooting.md'), 'utf8');

  it('is what the catalog generates (regenerate with `pnpm docs:troubleshooting`)', () => {
    expect(docs).toBe(renderTroubleshootingDoc());
  });

  it('has a section for every doctor problem and every warning', () => {
    for (const { id } of [...PROBLEM_LIST, ...WARNINGS]) expect(docs).toContain(`### \`${id}\`:`);
  });
});
