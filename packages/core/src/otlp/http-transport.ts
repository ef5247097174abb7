import type * as http from 'node:http';
import type * as https from 'node:https';
import type * as zlib from 'node:zlib';
import type { Compression } from '../types';
import type { ExportResponse, ExporterTransport } from './export-response';
import { OtlpExportError } from './export-response';
import { classifyConnectionError, classifyHttpResponse } from './retry-policy';
import { THREADLINE_VERSION } from '../version';

export interface OtlpHttpTransportOptions {
  url: string;
  contentType: 'application/x-protobuf' | 'application/json';
  headers: Record<string, string>;
  compression: Compression;
}

/** OTLP/HTTP: 64 MiB before compression is the recommended request limit. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** OTLP/HTTP: read at most 4 MiB of a response, after decompression. */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export const USER_AGENT = `threadline/${THREADLINE_VERSION} (Node.js ${process.versions.node})`;

/** Export requests under way, across every transport, so a shutdown past its deadline can end them. */
const inFlight = new Set<http.ClientRequest>();

/**
 * Ends every export request still under way. Called when a shutdown ran out of time: an answer
 * that has not come by then would only hold the process open until the export timeout.
 */
export function abortInFlightExports(): number {
  const count = inFlight.size;
  for (const request of inFlight) request.destroy(new Error('export abandoned at the shutdown deadline'));
  inFlight.clear();
  return count;
}

/**
 * One OTLP/HTTP POST per `send`, over a keep-alive agent whose idle sockets never hold the
 * process open. Classifies the outcome per the OTLP retry rules; never throws.
 */
export function createOtlpHttpTransport(options: OtlpHttpTransportOptions): ExporterTransport {
  // Loaded here, at the first export, not at start: node:http and node:https cost ~8 ms to load.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const url = new URL(options.url);
  const client: typeof http | typeof https = url.protocol === 'https:' ? require('node:https') : require('node:http');
  const { gzipSync, createGunzip } = require('node:zlib') as typeof zlib;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const agent = new client.Agent({ keepAlive: true, maxSockets: 2 });
  const baseHeaders: Record<string, string> = {
    ...options.headers,
    'Content-Type': options.contentType,
    'User-Agent': USER_AGENT,
  };
  if (options.compression === 'gzip') baseHeaders['Content-Encoding'] = 'gzip';

  return {
    send(data, timeoutMillis) {
      if (data.byteLength > MAX_REQUEST_BYTES) {
        return Promise.resolve({
          status: 'failure',
          error: new OtlpExportError(`request of ${data.byteLength} bytes exceeds the ${MAX_REQUEST_BYTES}-byte limit`, 0),
        });
      }
      const body = options.compression === 'gzip' ? gzipSync(data) : data;
      return post(client, url, agent, createGunzip, { ...baseHeaders, 'Content-Length': String(body.byteLength) }, body, timeoutMillis);
    },
    shutdown() {
      agent.destroy();
    },
  };
}

function post(
  client: typeof http | typeof https,
  url: URL,
  agent: http.Agent,
  createGunzip: typeof zlib.createGunzip,
  headers: Record<string, string>,
  body: Uint8Array,
  timeoutMillis: number,
): Promise<ExportResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: ExportResponse): void => {
      if (settled) return;
      settled = true;
      inFlight.delete(request);
      if (timer) clearTimeout(timer);
      resolve(response);
    };
    const request = client.request(url, { method: 'POST', agent, headers }, (response) => {
      readLimited(response, createGunzip, (error, payload) => {
        const status = response.statusCode ?? 0;
        if (error) return finish({ status: 'failure', error: new OtlpExportError(error.message, status) });
        const retryAfter = response.headers['retry-after'];
        finish(classifyHttpResponse(status, Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, payload));
      });
    });
    const timer =
      timeoutMillis > 0
        ? setTimeout(() => {
            request.destroy(new Error(`export timed out after ${timeoutMillis} ms`));
          }, timeoutMillis)
        : undefined;
    timer?.unref();
    request.on('error', (error: NodeJS.ErrnoException) => finish(classifyConnectionError(error)));
    inFlight.add(request);
    request.end(body);
  });
}

/** Reads a response body, gunzipping if needed, refusing more than MAX_RESPONSE_BYTES. */
function readLimited(response: http.IncomingMessage, createGunzip: typeof zlib.createGunzip, done: (error: Error | undefined, payload?: Uint8Array) => void): void {
  const source = response.headers['content-encoding'] === 'gzip' ? response.pipe(createGunzip()) : response;
  const chunks: Buffer[] = [];
  let total = 0;
  let finished = false;
  const end = (error: Error | undefined, payload?: Uint8Array): void => {
    if (finished) return;
    finished = true;
    done(error, payload);
  };
  source.on('data', (chunk: Buffer) => {
    total += chunk.byteLength;
    if (total > MAX_RESPONSE_BYTES) {
      response.destroy();
      end(new Error(`response body exceeds ${MAX_RESPONSE_BYTES} bytes`));
      return;
    }
    chunks.push(chunk);
  });
  source.on('end', () => end(undefined, Buffer.concat(chunks)));
  source.on('error', (error: Error) => end(error));
  response.on('error', (error: Error) => end(error));
}
