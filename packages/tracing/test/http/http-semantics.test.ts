import { createPathMatcher, normalizeMethod, parseHost, pathOf, spanName } from '../../src/http/http-semantics';
import { hasRequestCreatedChannel } from '../../src/http/http-client';

describe('HTTP semantics', () => {
  it('keeps known methods and folds the rest into _OTHER', () => {
    expect(normalizeMethod('get')).toBe('GET');
    expect(normalizeMethod('PATCH')).toBe('PATCH');
    expect(normalizeMethod('PURGE')).toBe('_OTHER');
    expect(normalizeMethod(undefined)).toBe('GET');
  });

  it('names spans by method and route template', () => {
    expect(spanName('GET', '/orders/:id')).toBe('GET /orders/:id');
    expect(spanName('POST')).toBe('POST');
    expect(spanName('_OTHER')).toBe('HTTP');
  });

  it('drops query strings and fragments from paths', () => {
    expect(pathOf('/search?q=secret#x')).toBe('/search');
    expect(pathOf('/a#b')).toBe('/a');
    expect(pathOf(undefined)).toBe('/');
  });

  it('splits Host headers, including IPv6 literals', () => {
    expect(parseHost('example.com:8080', 80)).toEqual({ address: 'example.com', port: 8080 });
    expect(parseHost('example.com', 443)).toEqual({ address: 'example.com', port: 443 });
    expect(parseHost('[::1]:3000', 80)).toEqual({ address: '::1', port: 3000 });
    expect(parseHost(undefined, 80)).toEqual({ port: 80 });
  });

  it('parses a repeated Host the same way each time, per default port', () => {
    expect(parseHost('shop.example', 80)).toEqual({ address: 'shop.example', port: 80 });
    expect(parseHost('shop.example', 443)).toEqual({ address: 'shop.example', port: 443 });
    expect(parseHost('shop.example', 80)).toEqual({ address: 'shop.example', port: 80 });
    for (let index = 0; index < 600; index++) parseHost(`host-${index}:${index}`, 80);
    expect(parseHost('host-599:599', 80)).toEqual({ address: 'host-599', port: 599 });
  });

  it('matches ignored paths exactly or by prefix', () => {
    const isIgnored = createPathMatcher(['/health', '/internal/*']);
    expect(isIgnored('/health')).toBe(true);
    expect(isIgnored('/healthz')).toBe(false);
    expect(isIgnored('/internal/metrics')).toBe(true);
    expect(isIgnored('/orders')).toBe(false);
    expect(createPathMatcher([])('/health')).toBe(false);
  });

  it('knows which Node versions publish http.client.request.created', () => {
    expect(hasRequestCreatedChannel('20.20.2')).toBe(false);
    expect(hasRequestCreatedChannel('22.11.0')).toBe(false);
    expect(hasRequestCreatedChannel('22.12.0')).toBe(true);
    expect(hasRequestCreatedChannel('24.1.0')).toBe(true);
  });
});
