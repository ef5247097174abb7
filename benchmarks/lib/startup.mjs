import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startupConfigurations } from './configurations.mjs';
import { startPinned, stop } from './processes.mjs';

const SINK_PORT = 4396;

/** Start-up of every configuration, with a local OTLP sink running for the duration. */
export async function measureStartupWithSink(runs, cwd) {
  const sink = await startPinned(1, ['services/sink.cjs'], { PORT: String(SINK_PORT) }, cwd);
  try {
    return measureStartup(startupConfigurations(`http://127.0.0.1:${SINK_PORT}`), runs, cwd);
  } finally {
    await stop(sink);
  }
}

/**
 * Start-up cost: wall time and peak RSS of an empty script per configuration, interleaved,
 * median of `runs` (after one warm-up round for the file system cache).
 */
export function measureStartup(configurations, runs, cwd) {
  const script = join(cwd, 'fixtures', 'empty.mjs');
  const samples = Object.fromEntries(Object.keys(configurations).map((name) => [name, { wall: [], rss: [] }]));
  for (let round = 0; round <= runs; round++) {
    for (const [name, { args, env }] of Object.entries(configurations)) {
      const startedAt = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [...args, script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
      const wall = Number(process.hrtime.bigint() - startedAt) / 1e6;
      if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
      if (round === 0) continue;
      samples[name].wall.push(wall);
      samples[name].rss.push(Number(result.stdout.trim().split('\n').pop()) / 1024);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, { wall, rss }]) => [name, { wallMs: median(wall), rssMb: median(rss) }]));
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
