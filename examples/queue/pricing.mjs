// Prices each order from the QUEUE. Started with `node --import @threadline/node/register`:
// each message is handled in a consumer span of the request that queued it, so these log
// lines carry that request's trace ID and request ID. The queue's depth is a gauge.
import amqp from 'amqplib';
import { logger, metrics, runInBackground } from '@threadline/node';

const queue = process.env.QUEUE;
const connection = await amqp.connect(process.env.AMQP_URL);
const channel = await connection.createChannel();
await channel.assertQueue(queue, { durable: false });

// metrics.queueDepth reads a number at each collection; the broker is asked on a timer.
let depth = 0;
metrics.queueDepth('orders', () => depth);
const poll = setInterval(() => {
  runInBackground('orders.depth.poll', async () => {
    depth = (await channel.checkQueue(queue)).messageCount;
  }).catch((error) => logger.warn('orders.depth.failed', { err: error }));
}, 1000).unref();

await channel.consume(queue, (message) => {
  if (!message) return;
  const { orderId } = JSON.parse(message.content.toString());
  logger.info('order.priced', { orderId, total: 42 });
  channel.ack(message);
});
console.log('consuming');

process.once('SIGTERM', async () => {
  clearInterval(poll);
  await channel.deleteQueue(queue);
  await connection.close();
  process.kill(process.pid, 'SIGTERM');
});
