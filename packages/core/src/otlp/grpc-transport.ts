import type * as Grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import type { Compression, SignalName, TlsFiles } from '../types';
import type { ExportResponse, ExporterTransport } from './export-response';
import { OtlpExportError } from './export-response';
import { GRPC_STATUS, classifyGrpcStatus } from './grpc-status';
import { refuseOversized } from './http-transport';
import { THREADLINE_VERSION } from '../version';

export interface OtlpGrpcTransportOptions {
  signal: SignalName;
  /** `http://host:port` for plaintext, `https://host:port` for TLS. */
  url: string;
  headers: Record<string, string>;
  compression: Compression;
  tls: TlsFiles;
}

/** The package that carries OTLP/gRPC: an optional peer dependency, loaded only when chosen. */
export const GRPC_PACKAGE = '@grpc/grpc-js';

/** The collector services' Export methods (opentelemetry-proto, collector/*\/v1/*_service.proto). */
export const GRPC_EXPORT_METHODS: Record<SignalName, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** grpc-js's number for gzip in `grpc.default_compression_algorithm`. */
const GZIP_ALGORITHM = 2;

/**
 * OTLP/gRPC over `@grpc/grpc-js` carrying the bytes Threadline already encoded: the request
 * messages of OTLP/HTTP protobuf and OTLP/gRPC are the same, so only the framing differs.
 * One unary call per `send`, classified per the OTLP retry rules for gRPC status codes, with
 * the server's RetryInfo delay; the retrying transport around it does the waiting. Never throws.
 */
export function createOtlpGrpcTransport(options: OtlpGrpcTransportOptions): ExporterTransport {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, loaded only when gRPC is chosen
  const grpc = require(GRPC_PACKAGE) as typeof Grpc;
  const url = new URL(options.url);
  const credentials =
    url.protocol === 'https:'
      ? grpc.credentials.createSsl(readPem(options.tls.certificate), readPem(options.tls.clientKey), readPem(options.tls.clientCertificate))
      : grpc.credentials.createInsecure();
  const channelOptions: Grpc.ChannelOptions = { 'grpc.primary_user_agent': `threadline/${THREADLINE_VERSION}` };
  if (options.compression === 'gzip') channelOptions['grpc.default_compression_algorithm'] = GZIP_ALGORITHM;
  const client = new grpc.Client(url.host, credentials, channelOptions);
  const method = GRPC_EXPORT_METHODS[options.signal];
  const identity = (bytes: Buffer): Buffer => bytes;

  return {
    send(data, timeoutMillis) {
      const oversized = refuseOversized(data);
      if (oversized) return Promise.resolve(oversized);
      const metadata = new grpc.Metadata();
      for (const [key, value] of Object.entries(options.headers)) metadata.set(key.toLowerCase(), value);
      const callOptions: Grpc.CallOptions = timeoutMillis > 0 ? { deadline: Date.now() + timeoutMillis } : {};
      return new Promise<ExportResponse>((resolve) => {
        try {
          client.makeUnaryRequest(method, identity, identity, Buffer.from(data.buffer, data.byteOffset, data.byteLength), metadata, callOptions, (error, response) => {
            if (!error) return resolve({ status: 'success', data: response });
            resolve(describeFailure(error, timeoutMillis));
          });
        } catch (error) {
          resolve({ status: 'failure', error: new OtlpExportError(error instanceof Error ? error.message : String(error), 0) });
        }
      });
    },
    shutdown() {
      client.close();
    },
  };
}

function describeFailure(error: Grpc.ServiceError, timeoutMillis: number): ExportResponse {
  const details = error.metadata?.get('grpc-status-details-bin')[0];
  const decision = classifyGrpcStatus(error.code, Buffer.isBuffer(details) ? details : undefined);
  const reason = error.code === GRPC_STATUS.DEADLINE_EXCEEDED ? `export timed out after ${timeoutMillis} ms` : `export failed with gRPC status ${error.code}`;
  const failure = new OtlpExportError(`${reason}: ${error.details || error.message}`, error.code);
  return decision.retryable ? { status: 'retryable', retryInMillis: decision.retryInMillis, error: failure } : { status: 'failure', error: failure };
}

/** A PEM file for the TLS credentials; read when the first export starts, not at start-up. */
function readPem(path: string | undefined): Buffer | null {
  return path ? readFileSync(path) : null;
}
