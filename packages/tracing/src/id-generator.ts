import type { IdGenerator } from '@opentelemetry/sdk-trace';
import { randomHex } from '@threadline/core';

const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * Trace and span IDs from the system's CSPRNG, drawn from core's blocks of random bytes (the
 * SDK's generator makes one CSPRNG call per ID). All-zero IDs are invalid and drawn again.
 */
export class HexBlockIdGenerator implements IdGenerator {
  private nextTraceId: string | undefined;

  /** The ID the next `generateTraceId` returns (a sampling decision was taken on it already). */
  useNextTraceId(traceId: string | undefined): void {
    this.nextTraceId = traceId;
  }

  generateTraceId(): string {
    const preset = this.nextTraceId;
    if (preset !== undefined) {
      this.nextTraceId = undefined;
      return preset;
    }
    let id = randomHex(32);
    while (id === INVALID_TRACE_ID) id = randomHex(32);
    return id;
  }

  generateSpanId(): string {
    let id = randomHex(16);
    while (id === INVALID_SPAN_ID) id = randomHex(16);
    return id;
  }
}
