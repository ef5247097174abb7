import type { IncomingHttpHeaders } from 'node:http';
import type { Signal } from '@threadline/testing';

/** Headers that describe the body and must travel with it unchanged. */
const PASSED_HEADERS = ['content-type', 'content-encoding', 'user-agent'];

export interface Forwarder {
  forward(signal: Signal, body: Buffer, headers: IncomingHttpHeaders): void;
  readonly counts: { forwarded: number; failed: number; lastError: string };
}

/**
 * Sends every accepted OTLP request on to another OTLP/HTTP endpoint (a Collector or a
 * backend), unchanged, so the viewer can sit in front of the team's real pipeline. One attempt
 * each: a development tool must not queue up memory when the backend is away.
 */
export function createForwarder(baseUrl: string): Forwarder {
  const base = baseUrl.replace(/\/+$/, '');
  const counts = { forwarded: 0, failed: 0, lastError: '' };
  const fail = (message: string): void => {
    counts.failed++;
    counts.lastError = message;
  };
  return {
    counts,
    forward(signal, body, headers) {
      const sent: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const value = headers[name];
        if (typeof value === 'string') sent[name] = value;
      }
      fetch(`${base}/v1/${signal}`, { method: 'POST', headers: sent, body, signal: AbortSignal.timeout(10_000) })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.ok) counts.forwarded++;
          else fail(`${signal}: HTTP ${response.status}`);
        })
        .catch((error: unknown) => fail(`${signal}: ${error instanceof Error ? error.message : String(error)}`));
    },
  };
}
