// User-space instructions per request, counted by valgrind's callgrind instead of timed: the
// service runs under `valgrind --tool=callgrind` twice, for a small and a large fixed number of
// requests, and (large - small) / (difference in requests) removes start-up, JIT warm-up and the
// final flush. Instruction counts do not depend on what else the machine is doing, which makes
// them the repeatable figure on a shared 2-core machine; the throughput ratios stay the
// user-facing one.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Requests in the short and the long run; their difference is what is divided. V8 optimises a
 * function called once per request only after thousands of calls (and waits another 500 after
 * each inline-cache change), so a short run still ends inside the warm-up: measured here on
 * Node 20, the uninstrumented `chain` request counted 652k instructions between 1,000 and 3,000
 * requests, a third of it TurboFan compiling, but 292k between 3,000 and 9,000. The window
 * starts after 3,000 requests, and `compileShare` says how much of it was still compilation.
 */
export const DEFAULT_REQUEST_COUNTS = [3000, 9000];
const CONCURRENCY = 4;

/**
 * Time-driven work would make the two runs differ by more than their requests: an export every
 * 5 s happens more often in the longer run. Under callgrind a request takes ~50x longer, so every
 * timer is pushed far out: spans and logs leave when a batch fills (count-driven, the same per
 * request in both runs), metrics once at the end, runtime-metric sampling never.
 */
export const COUNT_DRIVEN_EXPORT = {
  OTEL_BSP_SCHEDULE_DELAY: '3600000',
  OTEL_BLRP_SCHEDULE_DELAY: '3600000',
  OTEL_METRIC_EXPORT_INTERVAL: '3600000',
  OTEL_METRIC_EXPORT_TIMEOUT: '30000',
};

export function hasValgrind() {
  return spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Sends `count` GET requests to `url`, `CONCURRENCY` at a time on keep-alive sockets. */
async function drive(url, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  let failed = 0;
  const one = () =>
    new Promise((resolve) => {
      httpRequest(url, { agent }, (response) => {
        if (response.statusCode !== 200) failed++;
        response.resume();
        response.on('end', resolve);
      })
        .on('error', () => {
          failed++;
          resolve();
        })
        .end();
    });
  const worker = async () => {
    while (sent < count) {
      sent++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return failed;
}

/** Total instructions (Ir) of one callgrind run of the service serving `count` requests. */
async function countRun({ args, env }, count, service, cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'threadline-callgrind-'));
  const outFile = join(dir, 'callgrind.out');
  const child = spawn(
    'valgrind',
    ['--tool=callgrind', '--smc-check=all-non-file', `--callgrind-out-file=${outFile}`, process.execPath, ...args, 'services/app.cjs'],
    { cwd, env: { ...process.env, ...COUNT_DRIVEN_EXPORT, ...env, ...service.env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  await new Promise((resolve, reject) => {
    child.stderr.on('data', function onData(chunk) {
      stderr += chunk;
      if (/^listening$/m.test(stderr)) {
        child.stderr.removeListener('data', onData);
        child.stderr.resume();
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`valgrind run exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  const failed = await drive(service.url, count);
  child.kill('SIGTERM');
  await once(child, 'exit');
  const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(outFile, 'utf8'));
  const compiling = compilerInstructions(outFile);
  rmSync(dir, { recursive: true, force: true });
  if (!totals) throw new Error('callgrind wrote no totals');
  return { instructions: Number(totals[1]), compiling, failed };
}

/** Instructions spent in V8's optimising compiler (its functions are named `v8::internal::compiler::`). */
function compilerInstructions(outFile) {
  const annotated = spawnSync('callgrind_annotate', ['--inclusive=no', '--threshold=100', outFile], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  let sum = 0;
  for (const line of (annotated.stdout ?? '').split('\n')) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+.*v8::internal::compiler::/.exec(line);
    if (match) sum += Number(match[1].replaceAll(',', ''));
  }
  return sum;
}

/**
 * Instructions per request for one configuration: `repeats` pairs of runs, each pair giving
 * (long - short) / (long count - short count). Returns every pair's figure, so the spread is
 * reported with the median, and each pair's share of the window spent compiling.
 */
export async function instructionsPerRequest(configuration, service, cwd, { counts, repeats = 2 } = {}) {
  const [short, long] = counts ?? DEFAULT_REQUEST_COUNTS;
  const perRequest = [];
  const compileShares = [];
  for (let repeat = 0; repeat < repeats; repeat++) {
    const a = await countRun(configuration, short, service, cwd);
    const b = await countRun(configuration, long, service, cwd);
    if (a.failed + b.failed > 0) throw new Error(`${a.failed + b.failed} requests failed under callgrind`);
    perRequest.push((b.instructions - a.instructions) / (long - short));
    compileShares.push((b.compiling - a.compiling) / (b.instructions - a.instructions));
  }
  return { perRequest, compileShares };
}
