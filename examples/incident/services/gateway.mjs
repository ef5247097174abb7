// The public API. Started with `node --import @threadline/node/register services/gateway.mjs`:
// the only telemetry here is the logger and the request attributes.
import express from 'express';
import { logger, setRequestAttributes } from '@threadline/node';
import { createUsers } from '../lib/scenario.mjs';

const ORDERS_URL = process.env.ORDERS_URL;
/** The gateway gives up on orders after this long and answers 504. */
const ORDERS_TIMEOUT_MILLIS = 4000;
const users = new Map(createUsers(Number(process.env.DEMO_SEED)).map((user) => [user.userId, user]));

const app = express();
app.use(express.json());
app.get('/health', (request, response) => response.send('ok'));

// Who is calling: in a real gateway this comes from the session; here from a header.
app.use((request, response, next) => {
  const user = users.get(request.get('x-user-id'));
  if (!user) return response.status(401).json({ error: 'unknown user' });
  request.user = user;
  setRequestAttributes({ userId: user.userId, accountType: user.accountType, region: user.region });
  next();
});

async function callOrders(request, method, path, body) {
  const { userId, accountType, region } = request.user;
  return fetch(`${ORDERS_URL}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-user-id': userId, 'x-account-type': accountType, 'x-region': region },
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(ORDERS_TIMEOUT_MILLIS),
  });
}

app.post('/checkout', async (request, response) => {
  try {
    const answer = await callOrders(request, 'POST', '/orders', { items: request.body.items });
    const order = await answer.json();
    if (!answer.ok) {
      logger.error('checkout.failed', { status: answer.status, reason: order.error });
      return response.status(502).json({ error: 'checkout failed' });
    }
    logger.info('checkout.completed', { orderId: order.id, total: order.total });
    response.status(201).json(order);
  } catch (err) {
    const timedOut = err.name === 'TimeoutError';
    logger.error('checkout.failed', { reason: timedOut ? 'orders timed out' : 'orders unreachable', err });
    response.status(timedOut ? 504 : 502).json({ error: 'checkout failed' });
  }
});

app.get('/orders/:id', async (request, response) => {
  const answer = await callOrders(request, 'GET', `/orders/${encodeURIComponent(request.params.id)}`);
  response.status(answer.status).json(await answer.json());
});

app.listen(Number(process.env.PORT), '127.0.0.1', () => logger.info('service.started', { port: Number(process.env.PORT) }));
