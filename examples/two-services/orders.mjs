// The entry service (ESM, Express), started with `node --import @threadline/node/register`.
// No tracing code: the request becomes a server span named after its route, and the fetch
// to inventory a client span that carries the trace on in its `traceparent` header.
import express from 'express';

const app = express();

app.get('/orders/:id', async (request, response) => {
  const answer = await fetch(`${process.env.INVENTORY_URL}/stock/sku-${request.params.id}`);
  response.json({ order: request.params.id, stock: await answer.json() });
});

app.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`orders listening on ${process.env.PORT}\n`));
