import { HexBlockIdGenerator } from '../src/id-generator';

describe('HexBlockIdGenerator', () => {
  it('gives valid, distinct lowercase hex trace and span IDs across block boundaries', () => {
    const generator = new HexBlockIdGenerator();
    const traceIds = Array.from({ length: 2000 }, () => generator.generateTraceId());
    const spanIds = Array.from({ length: 2000 }, () => generator.generateSpanId());
    expect(traceIds.every((id) => /^[0-9a-f]{32}$/.test(id) && id !== '0'.repeat(32))).toBe(true);
    expect(spanIds.every((id) => /^[0-9a-f]{16}$/.test(id) && id !== '0'.repeat(16))).toBe(true);
    expect(new Set(traceIds).size).toBe(traceIds.length);
    expect(new Set(spanIds).size).toBe(spanIds.length);
  });
});
