import type { IncomingMessage, ServerResponse } from 'node:http';
import { OTLP_SIGNAL_PATHS, decodeRequestBody, flattenLogRecords, flattenMetrics, flattenSpans } from '@threadline/testing';
import type { Signal } from '@threadline/testing';
import type { Forwarder } from './forwarder';
import type { TelemetryStore } from './store';
import { toStoredHistogramPoints, toStoredLogRecord, toStoredSpan } from './to-stored';

/** The OTLP specification's recommended request size limit, before decompression. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface IntakeCounts {
  requests: number;
  /** Accepted requests by encoding. */
  protobuf: number;
  json: number;
  rejected: number;
  lastError: string;
}

function store(storeInto: TelemetryStore, signal: Signal, body: Record<string, unknown>): void {
  if (signal === 'traces') for (const span of flattenSpans(body)) storeInto.addSpan(toStoredSpan(span));
  else if (signal === 'logs') for (const record of flattenLogRecords(body)) storeInto.addLogRecord(toStoredLogRecord(record));
  else for (const metric of flattenMetrics(body)) for (const point of toStoredHistogramPoints(metric)) storeInto.addHistogramPoint(point);
}

/**
 * The OTLP/HTTP request handler: protobuf or JSON, gzip or not. A body it cannot decode is
 * answered 400 (not retryable, per the OTLP specification) and counted.
 */
export function createOtlpIntake(storeInto: TelemetryStore, forwarder: Forwarder | undefined) {
  const counts: IntakeCounts = { requests: 0, protobuf: 0, json: 0, rejected: 0, lastError: '' };
  const reject = (response: ServerResponse, status: number, message: string): void => {
    counts.rejected++;
    counts.lastError = message;
    response.writeHead(status, { 'Content-Type': 'text/plain' }).end(message);
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // Browser exporters send a CORS preflight; the viewer only listens on the loopback.
    response.setHeader('Access-Control-Allow-Origin', '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': '*' }).end();
      return;
    }
    const signal = OTLP_SIGNAL_PATHS[request.url?.split('?')[0] ?? ''];
    if (request.method !== 'POST' || !signal) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_BODY_BYTES) return reject(response, 413, `request body over ${MAX_BODY_BYTES} bytes`);
      const raw = Buffer.concat(chunks);
      const isJson = (request.headers['content-type'] ?? '').startsWith('application/json');
      const gzip = request.headers['content-encoding'] === 'gzip';
      try {
        store(storeInto, signal, decodeRequestBody(signal, raw, { gzip, json: isJson }));
      } catch (error) {
        return reject(response, 400, `${signal}: ${error instanceof Error ? error.message : String(error)}`);
      }
      counts.requests++;
      counts[isJson ? 'json' : 'protobuf']++;
      forwarder?.forward(signal, raw, request.headers);
      // An empty body is a fully successful Export*ServiceResponse in both encodings.
      response.writeHead(200, { 'Content-Type': isJson ? 'application/json' : 'application/x-protobuf' }).end(isJson ? '{}' : undefined);
    });
  };
  return { handle, counts };
}
