import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { ApiContext } from './api';
import { handleApi } from './api';

/** The page's files ship in the package's `web/` folder: plain HTML, CSS and ES modules. */
const WEB_ROOT = join(__dirname, '..', 'web');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export function createWebHandler(context: ApiContext) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://viewer.local');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405).end();
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      try {
        handleApi(context, url, response);
      } catch (error) {
        response.writeHead(500, { 'Content-Type': 'text/plain' }).end(error instanceof Error ? error.message : String(error));
      }
      return;
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    const type = CONTENT_TYPES[extname(name)];
    // Only flat file names from web/: nothing outside it can be asked for.
    if (!type || !/^[\w.-]+$/.test(name)) {
      response.writeHead(404).end();
      return;
    }
    readFile(join(WEB_ROOT, name)).then(
      (content) => response.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(content),
      () => response.writeHead(404).end(),
    );
  };
}
