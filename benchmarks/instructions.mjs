// Instructions per request under callgrind for `hello` and `chain`, for no instrumentation,
// Threadline at 100% and 10% sampling, and the stock zero-code setup; prints a table and, with
// --json FILE, writes the figures. `pnpm bench` runs the same measurement and puts it in
// docs/benchmarks.md. Usage: node benchmarks/instructions.mjs [--repeats N] [--scenario chain]
// [--only NAME] [--requests 1000,3000] [--json FILE]
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureInstructions, renderInstructions } from './lib/instruction-table.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argument = (name) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
};
const results = await measureInstructions(here, {
  repeats: Number(argument('repeats') ?? 2),
  scenarios: argument('scenario') ? [argument('scenario')] : undefined,
  only: argument('only'),
  counts: argument('requests')?.split(',').map(Number),
});
process.stdout.write(`${renderInstructions(results).join('\n')}\n`);
const jsonFile = argument('json');
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(results, null, 2));
