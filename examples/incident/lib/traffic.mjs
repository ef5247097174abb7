// The traffic generator: a few concurrent "users" browsing and checking out for a fixed time,
// with a progress bar, pausing briefly while a deploy restarts a service.
import { createRandom } from './scenario.mjs';

const CONCURRENCY = 6;
const SKUS = ['sku-1', 'sku-2', 'sku-3', 'sku-4'];

function progressLine(elapsedMillis, durationMillis, stats, note) {
  const width = 30;
  const done = Math.min(width, Math.round((elapsedMillis / durationMillis) * width));
  const seconds = `${Math.round(elapsedMillis / 1000)}s/${Math.round(durationMillis / 1000)}s`;
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${seconds}  requests ${stats.requests}  failed ${stats.failed}${note ? `  ${note}` : ''}`;
}

/**
 * Sends requests to the gateway for `durationMillis`. `events` are run once when their time
 * comes (`{ atMillis, label, run }`), with traffic paused around them.
 */
export async function driveTraffic({ gatewayUrl, users, durationMillis, seed, events }) {
  const random = createRandom(seed + 1);
  const stats = { requests: 0, failed: 0 };
  const orderIds = [];
  const started = Date.now();
  let paused;
  // Time spent paused for deploys does not count: the run has `durationMillis` of traffic.
  let pausedMillis = 0;
  const elapsed = () => Date.now() - started - pausedMillis;
  let inFlight = 0;
  let note = '';
  const interactive = process.stdout.isTTY;
  let lastPrinted = 0;
  const show = (force = false) => {
    const now = elapsed();
    if (interactive) process.stdout.write(`\r${progressLine(now, durationMillis, stats, note)}\x1b[K`);
    else if (force || now - lastPrinted >= 5000) {
      lastPrinted = now;
      process.stdout.write(`${progressLine(now, durationMillis, stats, note)}\n`);
    }
  };

  async function oneRequest() {
    const user = users[Math.floor(random() * users.length)];
    const browse = orderIds.length > 0 && random() < 0.2;
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: SKUS[Math.floor(random() * SKUS.length)],
      quantity: 1 + Math.floor(random() * 4),
    }));
    const path = browse ? `/orders/${orderIds[Math.floor(random() * orderIds.length)]}` : '/checkout';
    const answer = await fetch(`${gatewayUrl}${path}`, {
      method: browse ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': user.userId },
      body: browse ? undefined : JSON.stringify({ items }),
    });
    const body = await answer.json();
    stats.requests++;
    if (answer.status >= 500) stats.failed++;
    else if (!browse && body.id) orderIds.push(body.id);
  }

  async function worker() {
    while (elapsed() < durationMillis) {
      if (paused) await paused;
      inFlight++;
      await oneRequest().catch(() => stats.failed++);
      inFlight--;
      await new Promise((resolve) => setTimeout(resolve, 40 + random() * 120));
    }
  }

  async function scheduler() {
    for (const event of events) {
      const wait = event.atMillis - elapsed();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      let resume;
      paused = new Promise((resolve) => (resume = resolve));
      const pauseStarted = Date.now();
      note = event.label;
      show(true);
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await event.run();
      note = event.doneLabel;
      pausedMillis += Date.now() - pauseStarted;
      paused = undefined;
      resume();
    }
  }

  const ticker = setInterval(show, interactive ? 200 : 1000);
  await Promise.all([scheduler(), ...Array.from({ length: CONCURRENCY }, worker)]);
  clearInterval(ticker);
  note = '';
  show(true);
  if (interactive) process.stdout.write('\n');
  return stats;
}
