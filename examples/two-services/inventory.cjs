// The downstream service (CommonJS), started with `node --require @threadline/node/register`.
// It continues the caller's trace from the incoming `traceparent` header.
const http = require('node:http');
const { context, propagation, trace, SpanKind } = require('@opentelemetry/api');

const tracer = trace.getTracer('inventory');

const server = http.createServer((request, response) => {
  const parent = propagation.extract(context.active(), request.headers);
  tracer.startActiveSpan('GET /stock/:sku', { kind: SpanKind.SERVER }, parent, (span) => {
    tracer.startActiveSpan('stock.lookup', (lookup) => {
      const sku = request.url.split('/').pop();
      lookup.setAttribute('inventory.sku', sku);
      lookup.end();
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ sku, available: sku.length }));
      span.end();
    });
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`inventory listening on ${process.env.PORT}\n`));
