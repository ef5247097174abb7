// Orders, on PostgreSQL through `pg`. Started with `node --import @threadline/node/register`.
import Fastify from 'fastify';
import pg from 'pg';
import { logger, setRequestAttributes } from '@threadline/node';
import { evaluateFlags } from '../lib/feature-flags.mjs';
import { plantedBug, sleep, STALL_MILLIS } from '../lib/planted-bug.mjs';

const PRICING_URL = process.env.PRICING_URL;
/** Orders gives up on pricing after this long. */
const PRICING_TIMEOUT_MILLIS = 2000;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const app = Fastify();

app.addHook('onRequest', async (request) => {
  setRequestAttributes({
    userId: request.headers['x-user-id'],
    accountType: request.headers['x-account-type'],
    region: request.headers['x-region'],
  });
});

async function quote(request, items) {
  const answer = await fetch(`${PRICING_URL}/quote`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-user-id': request.headers['x-user-id'],
      'x-account-type': request.headers['x-account-type'],
      'x-region': request.headers['x-region'],
    },
    body: JSON.stringify({ items }),
    signal: AbortSignal.timeout(PRICING_TIMEOUT_MILLIS),
  });
  if (!answer.ok) throw new Error(`pricing answered ${answer.status}`);
  return answer.json();
}

app.post('/orders', async (request, reply) => {
  const userId = request.headers['x-user-id'];
  const flags = evaluateFlags(userId);
  let price;
  try {
    price = await quote(request, request.body.items);
  } catch (err) {
    logger.error('order.pricing.failed', { userId, items: request.body.items.length, err });
    return reply.code(502).send({ error: 'pricing failed' });
  }
  try {
    if (plantedBug.hits(request.headers['x-account-type'], flags)) {
      // The new version's loyalty lookup: a table the migration never created, or a lock wait.
      if (plantedBug.mode === 'slow') await sleep(STALL_MILLIS);
      else await pool.query('SELECT discount_rate FROM loyalty_discounts WHERE user_id = $1', [userId]);
    }
    const { rows } = await pool.query('INSERT INTO orders (user_id, total) VALUES ($1, $2) RETURNING id', [userId, price.total]);
    logger.info('order.created', { orderId: rows[0].id, total: price.total });
    return reply.code(201).send({ id: rows[0].id, total: price.total });
  } catch (err) {
    logger.error('order.save.failed', { userId, err });
    return reply.code(500).send({ error: 'could not save the order' });
  }
});

app.get('/orders/:id', async (request, reply) => {
  const { rows } = await pool.query('SELECT id, user_id, total FROM orders WHERE id = $1', [Number(request.params.id) || 0]);
  if (rows.length === 0) return reply.code(404).send({ error: 'no such order' });
  return rows[0];
});

app.get('/health', async () => 'ok');

await pool.query('CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, user_id text NOT NULL, total numeric NOT NULL, created_at timestamptz DEFAULT now())');
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
logger.info('service.started', { port: Number(process.env.PORT) });
