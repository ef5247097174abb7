import * as diagnosticsChannel from 'node:diagnostics_channel';
import type { SpanContext } from '@opentelemetry/api';

/**
 * What the HTTP instrumentations publish when a request ends, for whoever measures it (the
 * metrics package) without the two depending on each other. Published only when someone
 * subscribed, so it costs nothing otherwise.
 */
export interface HttpRequestEnd {
  kind: 'server' | 'client';
  durationSeconds: number;
  attributes: Record<string, string | number>;
  /** Set when the request's span was sampled: the source of an exemplar. */
  spanContext: SpanContext | undefined;
  requestId: string | undefined;
}

export const HTTP_REQUEST_END_CHANNEL = diagnosticsChannel.channel('threadline:http.request.end');

export function publishHttpRequestEnd(event: HttpRequestEnd): void {
  if (HTTP_REQUEST_END_CHANNEL.hasSubscribers) HTTP_REQUEST_END_CHANNEL.publish(event);
}
