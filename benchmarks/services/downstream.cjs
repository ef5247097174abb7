// The downstream service of the chain scenario: uninstrumented, answers at once.
require('node:http')
  .createServer((request, response) => response.end('{"price":12}'))
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\n'));
