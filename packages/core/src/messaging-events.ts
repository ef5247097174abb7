import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { SpanContext } from '@opentelemetry/api';

/**
 * What the messaging instrumentations publish when a send or a process ends, for the metrics
 * package to count and time without either depending on the other (like HTTP requests).
 * Published only when someone subscribed.
 */
export interface MessagingOperationEnd {
  /** `send` for a producer, `process` for a consumer's handler, `receive` for a pull. */
  operationType: 'send' | 'process' | 'receive';
  durationSeconds: number;
  /** `messaging.system`, `messaging.destination.name`, `messaging.operation.name`, `error.type` when it failed. */
  attributes: Record<string, string>;
  /** Set when the span was sampled: the source of an exemplar. */
  spanContext: SpanContext | undefined;
  requestId: string | undefined;
  /** The messages the operation sent or processed: more than one for a batch send; 0 for a pull (each is counted where it is processed). */
  messageCount: number;
}

export const MESSAGING_OPERATION_END_CHANNEL = diagnosticsChannel.channel('threadline:messaging.operation.end');

export function publishMessagingOperationEnd(event: MessagingOperationEnd): void {
  if (MESSAGING_OPERATION_END_CHANNEL.hasSubscribers) MESSAGING_OPERATION_END_CHANNEL.publish(event);
}
