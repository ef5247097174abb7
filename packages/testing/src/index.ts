export type {
  AttributeMap,
  AttributeValue,
  Fault,
  ReceivedLogRecord,
  ReceivedMetric,
  ReceivedRequest,
  ReceivedSpan,
  ReceiverOptions,
  Signal,
} from './types';
export { OtlpReceiver, startOtlpReceiver } from './receiver';
export { grpcStatusForHttp } from './grpc-server';
export { OTLP_SIGNAL_PATHS, decodeJson, decodeProtobuf, decodeRequestBody, flattenLogRecords, flattenMetrics, flattenSpans } from './decode';
export { waitFor } from './wait-for';
export { freePort } from './free-port';
