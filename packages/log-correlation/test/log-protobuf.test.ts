import { encodeResourceField } from '@threadline/core';
import { decodeProtobuf, flattenLogRecords } from '@threadline/testing';
import { LogBatch } from '../src/log-protobuf';

const scope = { name: '@threadline/log-correlation', version: '1.0.0' };
const spanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };

describe('log record protobuf encoding', () => {
  it('encodes records with severity, body, attributes, trace context, resource and scope', () => {
    const batch = new LogBatch(encodeResourceField({ 'service.name': 'orders' }), scope, { attributeCountLimit: 128, attributeValueLengthLimit: 1000 });
    batch.add({ timeMillis: 1_764_000_000_123, severityNumber: 17, severityText: 'ERROR', body: 'order.failed', attributes: { orderId: 42, 'request.id': 'req-1', ok: false, ratio: 0.5, err: { type: 'TypeError', message: 'boom' }, tags: ['a', 'b'] }, spanContext });
    batch.add({ timeMillis: 1_764_000_000_999, severityNumber: 9, severityText: 'INFO', body: 'started', attributes: {}, spanContext: undefined });
    expect(batch.count).toBe(2);
    const [first, second] = flattenLogRecords(decodeProtobuf('logs', batch.seal()));
    expect(first).toEqual({
      traceId: spanContext.traceId,
      spanId: spanContext.spanId,
      flags: 1,
      severityNumber: 17,
      severityText: 'ERROR',
      body: 'order.failed',
      attributes: { orderId: 42, 'request.id': 'req-1', ok: false, ratio: 0.5, err: { type: 'TypeError', message: 'boom' }, tags: ['a', 'b'] },
      timeUnixNano: 1_764_000_000_123_000_000n,
      resource: { 'service.name': 'orders' },
      scope,
    });
    expect(second).toMatchObject({ traceId: '', spanId: '', severityNumber: 9, body: 'started', attributes: {}, timeUnixNano: 1_764_000_000_999_000_000n });
  });

  it('applies the attribute count and value length limits, counting what was dropped', () => {
    const batch = new LogBatch(encodeResourceField({}), scope, { attributeCountLimit: 2, attributeValueLengthLimit: 4 });
    const attributes = { a: 'abcdefgh', b: ['long-value', 'ok'], c: 'dropped', d: 'dropped too' };
    batch.add({ timeMillis: 0, severityNumber: 9, severityText: 'INFO', body: 'a body longer than four', attributes, spanContext: undefined });
    const request = decodeProtobuf('logs', batch.seal()) as { resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[] };
    const record = request.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    expect(record.droppedAttributesCount).toBe(2);
    expect(flattenLogRecords(request)[0]).toMatchObject({ attributes: { a: 'abcd', b: ['long', 'ok'] }, body: 'a body longer than four' });
    expect(attributes.a).toBe('abcdefgh');
  });

  it("writes a record's request ID as its `request.id` attribute: last, in place of one among the attributes, and within the limits", () => {
    const batch = new LogBatch(encodeResourceField({}), scope, { attributeCountLimit: 3, attributeValueLengthLimit: 8 });
    const attributes = { a: 1, 'request.id': 'from-the-line', b: 2, c: 3 };
    batch.add({ timeMillis: 0, severityNumber: 9, severityText: 'INFO', body: 'x', attributes, requestId: 'req-0123456789', spanContext: undefined });
    batch.add({ timeMillis: 0, severityNumber: 9, severityText: 'INFO', body: 'y', attributes: { a: 1 }, requestId: undefined, spanContext: undefined });
    const request = decodeProtobuf('logs', batch.seal()) as { resourceLogs: { scopeLogs: { logRecords: { attributes: { key: string }[]; droppedAttributesCount?: number }[] }[] }[] };
    const [first, second] = request.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    // The count limit keeps a slot for the request ID; `c` is the one dropped.
    expect(first!.attributes.map((attribute) => attribute.key)).toEqual(['a', 'b', 'request.id']);
    expect(first!.droppedAttributesCount).toBe(1);
    expect(flattenLogRecords(request).map((record) => record.attributes)).toEqual([{ a: 1, b: 2, 'request.id': 'req-0123' }, { a: 1 }]);
    expect(attributes['request.id']).toBe('from-the-line');
  });
});
