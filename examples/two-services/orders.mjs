// The entry service (ESM), started with `node --import @threadline/node/register`.
// Each request becomes a server span with a client span for the call to inventory; the
// client span's context travels in the `traceparent` header the propagator writes.
import http from 'node:http';
import { context, propagation, trace, SpanKind, SpanStatusCode } from '@opentelemetry/api';

const tracer = trace.getTracer('orders');
const inventoryUrl = process.env.INVENTORY_URL;

const server = http.createServer((request, response) => {
  const parent = propagation.extract(context.active(), request.headers);
  tracer.startActiveSpan('GET /orders/:id', { kind: SpanKind.SERVER }, parent, async (span) => {
    const sku = `sku-${request.url.split('/').pop()}`;
    const stock = await tracer.startActiveSpan('GET inventory', { kind: SpanKind.CLIENT }, async (client) => {
      const headers = {};
      propagation.inject(context.active(), headers);
      try {
        const answer = await fetch(`${inventoryUrl}/stock/${sku}`, { headers });
        client.setAttribute('http.response.status_code', answer.status);
        return await answer.json();
      } catch (error) {
        client.recordException(error);
        client.setStatus({ code: SpanStatusCode.ERROR });
        return undefined;
      } finally {
        client.end();
      }
    });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ order: request.url, stock }));
    span.end();
  });
});

server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`orders listening on ${process.env.PORT}\n`));
