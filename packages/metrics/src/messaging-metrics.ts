import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { HrTime } from '@opentelemetry/api';
import type { FieldRedactor, MessagingOperationEnd } from '@threadline/core';
import { MESSAGING_OPERATION_END_CHANNEL } from '@threadline/core';
import type { CollectedMetric } from './duration-histograms';
import { DurationHistogram } from './duration-histograms';
import {
  DURATION_BUCKETS,
  MESSAGING_CLIENT_CONSUMED_MESSAGES,
  MESSAGING_CLIENT_OPERATION_DURATION,
  MESSAGING_CLIENT_SENT_MESSAGES,
  MESSAGING_PROCESS_DURATION,
} from './semantic-conventions';

/**
 * The messaging semantic conventions' four instruments, from the messaging instrumentations'
 * end-of-operation events (every message, sampled or not), with exemplars from sampled spans:
 * a consumer's `messaging.process.duration` exemplar points at the consumer span, in the
 * producer's trace. The counters are the histograms' counts per series, not a second aggregation.
 */
export function createMessagingMetrics(seriesLimit: number, redactor: FieldRedactor, onRecord: () => void): { metrics: CollectedMetric[]; stop: () => void } {
  const send = new DurationHistogram(MESSAGING_CLIENT_OPERATION_DURATION, 'Duration of messaging operations initiated by a producer or consumer client.', DURATION_BUCKETS, seriesLimit, redactor);
  const process = new DurationHistogram(MESSAGING_PROCESS_DURATION, 'Duration of processing operations.', DURATION_BUCKETS, seriesLimit, redactor);
  const onEnd = (message: unknown): void => {
    const event = message as MessagingOperationEnd;
    onRecord();
    // A pull is a client operation like a send (one duration instrument), that sends nothing.
    (event.operationType === 'process' ? process : send).record(event.durationSeconds, event.attributes, event.spanContext, event.requestId, event.messageCount);
  };
  diagnosticsChannel.subscribe(MESSAGING_OPERATION_END_CHANNEL.name, onEnd);
  const counted = (histogram: DurationHistogram, name: string, description: string): CollectedMetric => ({
    collect: (endTime: HrTime) => histogram.collectCount(endTime, name, description, '{message}'),
  });
  return {
    metrics: [
      send,
      process,
      counted(send, MESSAGING_CLIENT_SENT_MESSAGES, 'Number of messages producer attempted to send to the broker.'),
      counted(process, MESSAGING_CLIENT_CONSUMED_MESSAGES, 'Number of messages that were delivered to the application.'),
    ],
    stop: () => diagnosticsChannel.unsubscribe(MESSAGING_OPERATION_END_CHANNEL.name, onEnd),
  };
}
