// Runs the callgrind measurement across scenarios and configurations, with the downstream
// service and the OTLP sink running natively beside it, and renders the report's table.
import { loadConfigurations } from './configurations.mjs';
import { DEFAULT_REQUEST_COUNTS, hasValgrind, instructionsPerRequest } from './instructions.mjs';
import { freePort, startPinned, stop } from './processes.mjs';
import { median } from './startup.mjs';

const SCENARIOS = ['hello', 'chain'];
const CORE = 1;

/** `only`: a substring of a configuration name, to measure just that one (and the baseline). */
export async function measureInstructions(cwd, { repeats = 2, scenarios = SCENARIOS, only, counts } = {}) {
  if (!hasValgrind()) return { skipped: 'valgrind is not installed (apt-get install valgrind)' };
  const ports = { sink: await freePort(), downstream: await freePort(), service: await freePort() };
  const sink = await startPinned(CORE, ['services/sink.cjs'], { PORT: String(ports.sink) }, cwd);
  const downstream = await startPinned(CORE, ['services/downstream.cjs'], { PORT: String(ports.downstream) }, cwd);
  const configurations = loadConfigurations(`http://127.0.0.1:${ports.sink}`);
  const results = { repeats, counts: counts ?? DEFAULT_REQUEST_COUNTS, scenarios: {}, compileShares: {} };
  try {
    for (const scenario of scenarios) {
      const service = {
        url: `http://127.0.0.1:${ports.service}/orders/42`,
        env: { SCENARIO: scenario, PORT: String(ports.service), DOWNSTREAM_URL: `http://127.0.0.1:${ports.downstream}/price` },
      };
      for (const [name, configuration] of Object.entries(configurations)) {
        if (only && name !== 'no instrumentation' && !name.includes(only)) continue;
        const { perRequest, compileShares } = await instructionsPerRequest(configuration, service, cwd, { repeats, counts });
        (results.scenarios[scenario] ??= {})[name] = perRequest;
        (results.compileShares[scenario] ??= {})[name] = compileShares;
        process.stderr.write(`${scenario} ${name}: ${perRequest.map((value) => Math.round(value)).join(', ')} instructions/request\n`);
      }
    }
  } finally {
    await stop(downstream);
    await stop(sink);
  }
  return results;
}

/** Added instructions per request as a share of the uninstrumented request's, by median. */
export function addedShare(results, scenario, name) {
  const runs = results.scenarios?.[scenario];
  if (!runs?.[name] || !runs['no instrumentation']) return NaN;
  const baseline = median(runs['no instrumentation']);
  return (median(runs[name]) - baseline) / baseline;
}

/**
 * Instructions per request without what V8's optimising compiler took in the window: the
 * figure the request settles to once its code is compiled (the compiler's share falls towards
 * zero as a service keeps running).
 */
function settledPerRequest(results, scenario, name) {
  const runs = results.scenarios?.[scenario]?.[name];
  const compiling = results.compileShares?.[scenario]?.[name];
  if (!runs?.length || !compiling?.length) return NaN;
  return median(runs.map((value, index) => value * (1 - (compiling[index] ?? 0))));
}

export function renderInstructions(results) {
  if (results.skipped) return [`Instruction counts skipped: ${results.skipped}.`, ''];
  const lines = [
    '| scenario | configuration | instructions/request (median) | runs | spread | added vs uninstrumented | JIT compiling in window | without JIT compiling | added without JIT compiling |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const [scenario, byName] of Object.entries(results.scenarios)) {
    for (const [name, runs] of Object.entries(byName)) {
      const middle = median(runs);
      const spread = (Math.max(...runs) - Math.min(...runs)) / middle;
      const added = addedShare(results, scenario, name);
      const compiling = results.compileShares?.[scenario]?.[name];
      const compileText = compiling?.length ? `${(median(compiling) * 100).toFixed(0)}%` : '—';
      const settled = settledPerRequest(results, scenario, name);
      const settledAdded = name === 'no instrumentation' ? NaN : (settled - settledPerRequest(results, scenario, 'no instrumentation')) / settledPerRequest(results, scenario, 'no instrumentation');
      const settledText = Number.isNaN(settled) ? '—' : `${(settled / 1000).toFixed(0)}k`;
      const settledAddedText = Number.isNaN(settledAdded) ? '—' : `${settledAdded >= 0 ? '+' : ''}${(settledAdded * 100).toFixed(0)}%`;
      lines.push(`| ${scenario} | ${name} | ${(middle / 1000).toFixed(0)}k | ${runs.map((value) => `${(value / 1000).toFixed(0)}k`).join(', ')} | ${(spread * 100).toFixed(1)}% | ${name === 'no instrumentation' ? '—' : `${added >= 0 ? '+' : ''}${(added * 100).toFixed(0)}%`} | ${compileText} | ${settledText} | ${settledAddedText} |`);
    }
  }
  lines.push('');
  return lines;
}
