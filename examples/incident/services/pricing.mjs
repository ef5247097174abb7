// Pricing, on plain `node:http`, started in code instead of with a flag: `start()` comes
// before anything else runs (its HTTP spans come from Node's diagnostics channels, so the
// order of the imports above it does not matter).
import http from 'node:http';
import { logger, setRequestAttributes, start } from '@threadline/node';
import { evaluateFlags } from '../lib/feature-flags.mjs';
import { plantedBug, sleep, STALL_MILLIS } from '../lib/planted-bug.mjs';

start();

const PRICES = { 'sku-1': 12.5, 'sku-2': 40, 'sku-3': 7.25, 'sku-4': 99 };
const DISCOUNTS = { free: { rate: 0 }, pro: { rate: 0.1 }, team: { rate: 0.15 }, enterprise: { rate: 0.2 } };

async function quote(request, items) {
  const userId = request.headers['x-user-id'];
  const accountType = request.headers['x-account-type'];
  setRequestAttributes({ userId, accountType, region: request.headers['x-region'] });
  const flags = evaluateFlags(userId);
  let discounts = DISCOUNTS;
  if (plantedBug.hits(accountType, flags)) {
    // The new version's discount table, which lost one account type, or a stalled lookup.
    if (plantedBug.mode === 'slow') await sleep(STALL_MILLIS);
    else discounts = { ...DISCOUNTS, [accountType]: undefined };
  }
  const subtotal = items.reduce((sum, item) => sum + (PRICES[item.sku] ?? 10) * item.quantity, 0);
  const total = Math.round(subtotal * (1 - discounts[accountType].rate) * 100) / 100;
  logger.info('price.quoted', { subtotal, total });
  return { subtotal, total };
}

const server = http.createServer(async (request, response) => {
  if (request.url === '/health') return response.end('ok');
  try {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    const result = await quote(request, JSON.parse(Buffer.concat(chunks).toString()).items);
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  } catch (err) {
    logger.error('pricing.quote.failed', { err });
    response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.message }));
  }
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => logger.info('service.started', { port: Number(process.env.PORT) }));
