import type { Span } from '@opentelemetry/api';
import { createHeaderCapture, isSensitiveHeader, undiciHeaderReader } from '../../src/http/header-capture';

function recordingSpan(): { span: Span; attributes: Record<string, unknown> } {
  const attributes: Record<string, unknown> = {};
  const span = { setAttribute: (key: string, value: unknown) => (attributes[key] = value) } as unknown as Span;
  return { span, attributes };
}

describe('header capture', () => {
  it('is absent when no header is listed', () => {
    expect(createHeaderCapture([], [], 'request')).toBeUndefined();
  });

  it('sets string arrays for the listed headers that are present, masking credentials unless allowed', () => {
    const capture = createHeaderCapture(['x-tenant', 'set-cookie', 'content-length', 'authorization', 'x-absent'], [], 'response')!;
    const { span, attributes } = recordingSpan();
    const headers: Record<string, unknown> = { 'x-tenant': 'acme', 'set-cookie': ['a=1', 'b=2'], 'content-length': 42, authorization: 'Bearer x' };
    capture(span, (name) => headers[name]);
    expect(attributes).toEqual({
      'http.response.header.x-tenant': ['acme'],
      'http.response.header.set-cookie': ['REDACTED'],
      'http.response.header.content-length': ['42'],
      'http.response.header.authorization': ['REDACTED'],
    });
    const allowing = createHeaderCapture(['authorization'], ['authorization'], 'request')!;
    const allowed = recordingSpan();
    allowing(allowed.span, (name) => headers[name]);
    expect(allowed.attributes).toEqual({ 'http.request.header.authorization': ['Bearer x'] });
  });

  it.each(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'apikey', 'x-auth-token', 'x-csrf-token', 'x-client-secret'])(
    'treats %s as sensitive',
    (name) => expect(isSensitiveHeader(name)).toBe(true),
  );
  it.each(['x-tenant', 'user-agent', 'content-type', 'x-request-id', 'traceparent'])('does not mask %s', (name) => expect(isSensitiveHeader(name)).toBe(false));

  it("reads undici's flat header arrays (strings or Buffers) and its older header strings", () => {
    const flat = undiciHeaderReader([Buffer.from('X-Tenant'), Buffer.from('acme'), 'set-cookie', 'a=1', 'set-cookie', 'b=2']);
    expect([flat('x-tenant'), flat('set-cookie'), flat('x-absent')]).toEqual([['acme'], ['a=1', 'b=2'], undefined]);
    const text = undiciHeaderReader('x-tenant: acme\r\naccept: */*\r\n');
    expect([text('x-tenant'), text('accept')]).toEqual([['acme'], ['*/*']]);
  });
});
