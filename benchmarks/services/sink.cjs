// A local OTLP/HTTP receiver for load tests: reads each export and answers 200 without
// decoding, so that the receiving side costs as little as possible on the load core.
let requests = 0;
let bytes = 0;
require('node:http')
  .createServer((request, response) => {
    request.on('data', (chunk) => (bytes += chunk.length));
    request.on('end', () => {
      requests++;
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/x-protobuf' }).end();
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\n'));
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ requests, bytes })}\n`);
  process.exit(0);
});
