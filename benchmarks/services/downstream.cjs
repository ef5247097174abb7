// The downstream service of the chain scenario: uninstrumented, answers at once. Its keep-alive
// timeout outlasts any pause of the caller (under callgrind a request takes ~50x longer), so a
// reused socket is never closed under a request in flight.
const server = require('node:http').createServer((request, response) => response.end('{"price":12}'));
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\n'));
