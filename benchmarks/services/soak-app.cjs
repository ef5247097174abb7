// The service the soak run loads: each request gets a server span (automatic) and writes one
// correlated log line through Threadline's logger, so both span and log export queues work.
// GET /stats answers with the export queues' own counts (what the otel.sdk.* metrics report).
const http = require('node:http');
const { logger } = require('@threadline/node');
const { exportStatsRegistry } = require('@threadline/core');

const plain = (map) => Object.fromEntries(map);
const server = http.createServer((request, response) => {
  if (request.url === '/stats') {
    const stats = exportStatsRegistry().map((entry) => ({
      item: entry.item,
      exported: plain(entry.exported),
      processed: plain(entry.processed),
      inflight: entry.inflight,
      queueSize: entry.queueSize,
    }));
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify(stats));
    return;
  }
  logger.info('soak.request', { path: request.url });
  response.end('ok');
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => process.stderr.write(`listening ${server.address().port}\n`));
process.once('SIGTERM', () => server.close());
