import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RAW_HEADERS_GETTER, rawHeader } from '../../src/http/raw-headers';

/** Sends one request with the given raw header lines and hands back what the server received. */
async function receive(headers: Array<[string, string]>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const server = createServer((request, response) => {
      resolve(request);
      response.end();
      server.close();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const outgoing = httpRequest({ port, host: '127.0.0.1', method: 'GET', path: '/', agent: false, headers: [['Host', '127.0.0.1'], ...headers].flat() }, (response) => response.resume());
      outgoing.on('error', reject).end();
    });
  });
}

describe('raw header reading', () => {
  it('finds a header whatever its case, as request.headers would', async () => {
    const request = await receive([['TraceParent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'], ['X-Request-Id', 'abc-1']]);
    expect(rawHeader(request.rawHeaders, 'traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(RAW_HEADERS_GETTER.get(request, 'X-Request-ID')).toBe(request.headers['x-request-id']);
    expect(rawHeader(request.rawHeaders, 'baggage')).toBeUndefined();
  });

  it('joins a repeated header with a comma, the same value request.headers gives', async () => {
    const request = await receive([['tracestate', 'a=1'], ['Tracestate', 'b=2'], ['x-request-id', 'one'], ['x-request-id', 'two']]);
    expect(rawHeader(request.rawHeaders, 'tracestate')).toBe('a=1, b=2');
    expect(rawHeader(request.rawHeaders, 'tracestate')).toBe(request.headers.tracestate);
    expect(rawHeader(request.rawHeaders, 'x-request-id')).toBe(request.headers['x-request-id']);
  });

  it('lists each header name once, lower-cased', async () => {
    const request = await receive([['Uber-Trace-Id', 'x'], ['uberctx-user', 'u'], ['UBERCTX-USER', 'v']]);
    const names = RAW_HEADERS_GETTER.keys(request);
    expect(names).toEqual(expect.arrayContaining(['uber-trace-id', 'uberctx-user', 'host']));
    expect(names.filter((name) => name === 'uberctx-user')).toHaveLength(1);
  });
});
