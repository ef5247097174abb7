// Rewrites docs/troubleshooting.md from the warning catalog and the doctor's problems.
// Run after changing packages/core/src/warnings or packages/node/src/doctor/problems.ts:
// pnpm docs:troubleshooting
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { renderTroubleshootingDoc } = require('../packages/node/dist/doctor/troubleshooting-doc.js');
writeFileSync(new URL('../docs/troubleshooting.md', import.meta.url), renderTroubleshootingDoc());
