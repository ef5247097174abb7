export { OtlpReceiver, startOtlpReceiver, decodeJson, decodeProtobuf, flattenLogRecords, flattenMetrics, flattenSpans, waitFor } from '../dist/index.js';
