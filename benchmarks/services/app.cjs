// The service under load. The same code runs in every configuration; only the process flags
// change (no instrumentation, Threadline, or the stock OpenTelemetry zero-code setup).
//   SCENARIO=hello  plain response
//   SCENARIO=chain  one outbound HTTP call to DOWNSTREAM_URL + one structured log line
//   SCENARIO=db     one PostgreSQL query + one structured log line
//   SPIN_MICROS=n   busy-wait n µs per request first: a known per-request cost, no telemetry
const http = require('node:http');
const pino = require('pino');

const scenario = process.env.SCENARIO;
const spinNanos = BigInt(Math.round(Number(process.env.SPIN_MICROS ?? 0) * 1000));
const log = pino();
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const pool = scenario === 'db' ? new (require('pg').Pool)({ host: '127.0.0.1', user: 'postgres', database: 'test', max: 10 }) : undefined;

function callDownstream() {
  return new Promise((resolve, reject) => {
    http.get(process.env.DOWNSTREAM_URL, { agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    }).on('error', reject);
  });
}

const server = http.createServer(async (request, response) => {
  if (spinNanos > 0n) {
    const until = process.hrtime.bigint() + spinNanos;
    while (process.hrtime.bigint() < until);
  }
  try {
    if (scenario === 'chain') {
      const status = await callDownstream();
      log.info({ orderId: 42, downstream: status }, 'order.priced');
    } else if (scenario === 'db') {
      const { rows } = await pool.query('SELECT $1::int AS id', [42]);
      log.info({ orderId: rows[0].id }, 'order.loaded');
    }
    response.end('ok');
  } catch (error) {
    response.statusCode = 500;
    response.end(String(error));
  }
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
