import type { ReceivedMetric, ReceivedSpan } from '@threadline/testing';
import { diagnosticLines, startApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

const SERVER = 2;
const UNSET = 0;
const ERROR = 2;

interface Answer {
  status: number;
  body: string;
}
type Point = { attributes: Record<string, unknown>; count?: unknown };

const REQUESTS: { method?: string; path: string; body?: string }[] = [
  { path: '/orders/42' },
  { path: '/fail' },
  { path: '/missing/7' },
  { path: '/private/3' },
  { path: '/nope/1' },
];
const FASTIFY_REQUESTS = [...REQUESTS, { method: 'POST', path: '/validated/5', body: '{}' }];

describe('web frameworks: route templates and handler errors', () => {
  const receiver = useReceiver();

  /** Runs web-app with FRAMEWORK, with or without Threadline, sends `requests`, stops it. */
  async function exercise(file: string, framework: string, requests: typeof REQUESTS, instrumented: boolean) {
    const loaderFlag = file.endsWith('.mjs') ? '--import' : '--require';
    const args = instrumented ? [loaderFlag, '@threadline/node/register', file] : [file];
    const app = startApp(args, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_METRIC_EXPORT_INTERVAL: '60000', FRAMEWORK: framework });
    const port = await app.waitForPort(30_000);
    const answers: Answer[] = [];
    for (const { method, path, body } of requests) {
      const headers = body ? { 'content-type': 'application/json' } : undefined;
      const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: method ?? 'GET', body, headers });
      answers.push({ status: response.status, body: await response.text() });
    }
    app.child.kill('SIGTERM');
    const result = await app.exited;
    expect(diagnosticLines(result.stderr)).toEqual([]);
    return { answers, spans: receiver.spans(), metrics: receiver.metrics() };
  }

  const serverSpan = (spans: ReceivedSpan[], path: string) => spans.find((span) => span.kind === SERVER && span.attributes['url.path'] === path)!;
  const durationPoints = (metrics: ReceivedMetric[]) =>
    metrics.filter((metric) => metric.name === 'http.server.request.duration').flatMap((metric) => metric.dataPoints as Point[]);

  describe.each([
    ['Express 4', 'express4', true],
    ['Express 5', 'express', true],
    ['Koa 3 with @koa/router', 'koa', true],
    ['NestJS 11 on Express', 'nest-express', true],
    ['NestJS 11 on Fastify', 'nest-fastify', true],
    ['Fastify 5', 'fastify', true],
    ['Hono 4 on @hono/node-server', 'hono', false],
  ])('%s', (_label, framework, recordsErrors) => {
    const requests = framework === 'fastify' ? FASTIFY_REQUESTS : REQUESTS;
    it.each(['web-app.cjs', 'web-app.mjs'])('%s: spans and durations carry the route template; a handler error is an exception; responses unchanged', async (file) => {
      const plain = await exercise(file, framework, requests, false);
      receiver.clear();
      const { answers, spans, metrics } = await exercise(file, framework, requests, true);
      // What the framework sends is the same with and without Threadline.
      expect(answers).toEqual(plain.answers);
      expect(answers.map((answer) => answer.status)).toEqual(framework === 'fastify' ? [200, 500, 404, 401, 404, 400] : [200, 500, 404, 401, 404]);

      const order = serverSpan(spans, '/orders/42');
      expect(order.name).toBe('GET /orders/:id');
      expect(order.attributes['http.route']).toBe('/orders/:id');
      expect(order.status.code).toBe(UNSET);

      const failed = serverSpan(spans, '/fail');
      expect(failed.name).toBe('GET /fail');
      expect(failed.status.code).toBe(ERROR);
      const exception = failed.events.find((event) => event.name === 'exception');
      if (recordsErrors) {
        expect(failed.attributes['error.type']).toBe('Error');
        expect(failed.status.message).toBe('boom');
        expect(exception?.attributes).toMatchObject({ 'exception.type': 'Error', 'exception.message': 'boom' });
        expect(String(exception?.attributes['exception.stacktrace'])).toContain('web-routes.cjs');
      } else {
        expect(failed.attributes['error.type']).toBe('500');
      }

      // A 4xx is the client's error: the server span's status stays unset, also for a thrown 404.
      for (const [path, route, status] of [
        ['/missing/7', '/missing/:id', 404],
        ['/private/3', '/private/:id', 401],
        ...(framework === 'fastify' ? [['/validated/5', '/validated/:id', 400]] : []),
      ] as const) {
        const span = serverSpan(spans, path);
        expect([span.name, span.attributes['http.route'], span.attributes['http.response.status_code'], span.status.code]).toEqual([
          `${path === '/validated/5' ? 'POST' : 'GET'} ${route}`,
          route,
          status,
          UNSET,
        ]);
        expect(span.attributes['error.type']).toBeUndefined();
      }
      // No route matched: no template, never the raw path.
      const unmatched = serverSpan(spans, '/nope/1');
      expect([unmatched.name, unmatched.attributes['http.route']]).toEqual(['GET', undefined]);

      // The same routes on the request-duration histogram.
      const points = durationPoints(metrics);
      const routes = points.map((point) => [point.attributes['http.route'], point.attributes['http.response.status_code'], point.attributes['error.type']]);
      expect(routes).toEqual(
        expect.arrayContaining([
          ['/orders/:id', 200, undefined],
          ['/fail', 500, recordsErrors ? 'Error' : '500'],
          ['/missing/:id', 404, undefined],
          ['/private/:id', 401, undefined],
          [undefined, 404, undefined],
        ]),
      );
      expect(JSON.stringify(points)).not.toContain('/orders/42');
    });
  });
});
