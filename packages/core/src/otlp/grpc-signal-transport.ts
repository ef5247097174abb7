import type { SignalExportConfig } from '../types';
import type { ExporterTransport } from './export-response';
import { OtlpExportError } from './export-response';
import { createOtlpGrpcTransport } from './grpc-transport';

/**
 * OTLP/gRPC for one signal's settings. Setting up can fail (the optional gRPC package is not
 * installed, a certificate file cannot be read): then every export fails with that reason, so
 * it is counted and reported like any other export failure instead of thrown.
 */
export function createGrpcSignalTransport(config: SignalExportConfig): ExporterTransport {
  try {
    return createOtlpGrpcTransport({ signal: config.signal, url: config.url, headers: config.headers, compression: config.compression, tls: config.tls });
  } catch (error) {
    const failure = new OtlpExportError(`OTLP/gRPC export could not start: ${error instanceof Error ? error.message : String(error)}`, 0);
    return { send: () => Promise.resolve({ status: 'failure', error: failure }), shutdown: () => undefined };
  }
}
