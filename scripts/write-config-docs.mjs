// Rewrites the settings table in docs/configuration.md from the table the code uses.
// Run after changing packages/core/src/config/settings.ts: pnpm docs:config
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { renderSettingsTable } = require('../packages/core/dist/index.js');
const path = new URL('../docs/configuration.md', import.meta.url);
const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';
const text = readFileSync(path, 'utf8');
const before = text.slice(0, text.indexOf(START) + START.length);
const after = text.slice(text.indexOf(END));
writeFileSync(path, `${before}\n${renderSettingsTable()}\n${after}`);
