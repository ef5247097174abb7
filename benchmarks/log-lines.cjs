// What one log line costs through the app's own pino with Threadline injecting into it:
// a plain line, and a `{ req, res }` line logged the way pino-http does (std serializers), inside
// a span and a request, with OTLP log export to a local sink that answers without decoding.
//   node benchmarks/log-lines.cjs              # this checkout's @threadline/node
//   node benchmarks/log-lines.cjs baseline     # pino alone
//   node benchmarks/log-lines.cjs <bundle.cjs> # another build of @threadline/node
const http = require('node:http');

const LINES = Number(process.env.LINES ?? 20_000);

async function main() {
  const mode = process.argv[2];
  const sink = http.createServer((request, response) => request.resume().on('end', () => response.end()));
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  let threadline;
  if (mode !== 'baseline') {
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${sink.address().port}`;
    process.env.OTEL_METRICS_EXPORTER = 'none';
    process.env.OTEL_BLRP_MAX_QUEUE_SIZE = '100000';
    threadline = require(mode ?? '@threadline/node');
    threadline.start({ serviceName: 'log-lines' });
  }
  const pino = require('pino');
  const { trace } = require('@opentelemetry/api');
  const log = pino({ serializers: pino.stdSerializers }, { write() {} });

  // A real request and response, as a server handler sees them.
  const pair = await new Promise((resolve) => {
    const server = http.createServer((req, res) => resolve({ req, res, server }));
    server.listen(0, '127.0.0.1', () => http.get(`http://127.0.0.1:${server.address().port}/orders/7?x=1`, () => {}).on('error', () => {}));
  });

  const measure = (name, logOne) => {
    let failures = 0;
    let message = '';
    const run = (count) => {
      for (let i = 0; i < count; i++) {
        try {
          logOne(i);
        } catch (error) {
          failures++;
          message = String(error && error.message);
        }
      }
    };
    const tracer = trace.getTracer('bench');
    return tracer.startActiveSpan('work', (span) => {
      run(Math.min(2000, LINES));
      const start = process.hrtime.bigint();
      run(LINES);
      const nanos = Number(process.hrtime.bigint() - start) / LINES;
      span.end();
      console.error(`${name}: ${Math.round(nanos)} ns/line${failures ? ` (${failures} calls threw: ${message})` : ''}`);
      return nanos;
    });
  };
  measure('plain line', (i) => log.info({ orderId: i }, 'order paid'));
  measure('{req,res} line', () => log.info({ req: pair.req, res: pair.res }, 'request completed'));
  pair.res.end();
  pair.server.close();
  if (threadline) await threadline.shutdown?.().catch?.(() => {});
  sink.close();
  process.exit(0);
}
main();
