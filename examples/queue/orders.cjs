// POST /orders/:id publishes an order to the QUEUE on RabbitMQ. Started with
// `node --require @threadline/node/register`: no tracing code here.
const http = require('node:http');
const amqp = require('amqplib');
const { logger, getRequestId, setRequestAttributes } = require('@threadline/node');

async function main() {
  const connection = await amqp.connect(process.env.AMQP_URL);
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(process.env.QUEUE, { durable: false });
  const server = http.createServer(async (request, response) => {
    const orderId = request.url.split('/').pop();
    setRequestAttributes({ customer: 'acme' });
    channel.sendToQueue(process.env.QUEUE, Buffer.from(JSON.stringify({ orderId })), { messageId: orderId });
    await channel.waitForConfirms();
    logger.info('order.queued', { orderId });
    response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ orderId, requestId: getRequestId() }));
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
  process.once('SIGTERM', async () => {
    server.close();
    await connection.close();
    process.kill(process.pid, 'SIGTERM');
  });
}
main();
