// The downstream service (CommonJS), started with `node --require @threadline/node/register`.
// Its server span continues the caller's trace with no code; the lookup adds a child span.
const http = require('node:http');
const { trace } = require('@opentelemetry/api');

const tracer = trace.getTracer('inventory');

const server = http.createServer((request, response) => {
  const sku = request.url.split('/').pop();
  tracer.startActiveSpan('stock.lookup', (lookup) => {
    lookup.setAttribute('inventory.sku', sku);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sku, available: sku.length }));
    lookup.end();
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`inventory listening on ${process.env.PORT}\n`));
