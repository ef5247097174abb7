import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { MetricProducer, MetricReader } from '@opentelemetry/sdk-metrics';
import type { Diagnostics } from '@threadline/core';
import { describeError, markUntraced } from '@threadline/core';
import { toOtlpModel } from './otlp-model';
import type { PrometheusFormat } from './prometheus-text';
import { CLASSIC_CONTENT_TYPE, OPENMETRICS_CONTENT_TYPE, toPrometheusText } from './prometheus-text';

export interface PrometheusEndpointOptions {
  host: string;
  port: number;
  diagnostics: Diagnostics;
  /** The pull reader, registered with the meter provider (which loads on first use). */
  reader: () => MetricReader;
}

export interface PrometheusEndpoint {
  /** The port it listens on, once listening (0 was asked for: the one picked). */
  port(): number | undefined;
  close(): Promise<void>;
}

/** A reader that collects only when asked: on each scrape, from the SDK and the given producers. */
export function createPullReader(sdk: typeof import('@opentelemetry/sdk-metrics'), producers: MetricProducer[], cardinalityLimit: number): MetricReader {
  class PullReader extends sdk.MetricReader {
    protected override onShutdown(): Promise<void> {
      return Promise.resolve();
    }
    protected override onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
  }
  return new PullReader({ metricProducers: producers, cardinalitySelector: () => cardinalityLimit });
}

/** Prometheus asks for OpenMetrics in its Accept header; anything else gets the classic text format. */
export function negotiateFormat(accept: string | undefined): PrometheusFormat {
  return accept && /application\/openmetrics-text/i.test(accept) ? 'openmetrics' : 'classic';
}

/**
 * `GET /metrics` on host:port for `OTEL_METRICS_EXPORTER=prometheus`: each scrape collects from
 * a pull reader fed by the same producers as the OTLP exporter, so the duration histograms carry
 * their exemplars here too. It listens in the background (start-up never waits for it), its
 * server never holds the process open, and a port that is taken is one warning, not a crash.
 */
export function startPrometheusEndpoint(options: PrometheusEndpointOptions): PrometheusEndpoint {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only when a scrape endpoint is asked for
  const http = require('node:http') as typeof import('node:http');
  let listening: number | undefined;

  const scrape = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    try {
      const { resourceMetrics, errors } = await options.reader().collect();
      for (const error of errors) options.diagnostics.suppressed('Prometheus collection', error);
      const format = negotiateFormat(request.headers.accept);
      const body = toPrometheusText(toOtlpModel(resourceMetrics), format);
      response.writeHead(200, { 'Content-Type': format === 'openmetrics' ? OPENMETRICS_CONTENT_TYPE : CLASSIC_CONTENT_TYPE }).end(body);
    } catch (error) {
      options.diagnostics.suppressed('Prometheus scrape failed', error);
      response.writeHead(500).end();
    }
  };
  const server: Server = http.createServer((request, response) => {
    scrape(request, response).catch(() => response.destroy());
  });
  server.on('connection', markUntraced);
  server.on('error', (error) => {
    options.diagnostics.warnOnce('prometheus-listen', `the Prometheus endpoint could not listen on ${options.host}:${options.port} (${describeError(error)}); metrics are not served there`);
  });
  server.listen(options.port, options.host, () => {
    const address = server.address();
    listening = address && typeof address === 'object' ? address.port : undefined;
    options.diagnostics.debug(`Prometheus metrics at http://${options.host}:${listening}/metrics`);
  });
  server.unref();

  return {
    port: () => listening,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}
