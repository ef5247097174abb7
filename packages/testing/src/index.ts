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
export { decodeJson, decodeProtobuf, flattenLogRecords, flattenMetrics, flattenSpans } from './decode';
export { waitFor } from './wait-for';
