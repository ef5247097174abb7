import { OtlpReceiver } from '@threadline/testing';

/** Both OTLP transports: the tests of start forms, resource, correlation and retries run over each. */
export const OTLP_TRANSPORTS = ['http', 'grpc'] as const;
export type OtlpTransport = (typeof OTLP_TRANSPORTS)[number];

/** The variables that make an app export over `transport` (OTLP/HTTP protobuf is the default). */
export function transportEnv(transport: OtlpTransport): Record<string, string> {
  return transport === 'grpc' ? { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } : {};
}

/**
 * One OTLP receiver for a test file: listening before the first test, emptied before each,
 * stopped after the last.
 */
export function useReceiver(protocol: OtlpTransport = 'http'): OtlpReceiver {
  const receiver = new OtlpReceiver({ protocol });
  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());
  beforeEach(() => receiver.clear());
  return receiver;
}
