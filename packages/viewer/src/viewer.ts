import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { createForwarder } from './forwarder';
import { createOtlpIntake } from './otlp-intake';
import { TelemetryStore } from './store';
import type { Viewer, ViewerOptions } from './types';
import { createWebHandler } from './web-server';

export const DEFAULT_OTLP_PORT = 4318;
export const DEFAULT_UI_PORT = 4319;
export const DEFAULT_HOST = '127.0.0.1';

async function listen(handler: (request: IncomingMessage, response: ServerResponse) => void, port: number, host: string) {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = address && typeof address === 'object' ? address.port : port;
  const close = (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => (server as Server).close(() => resolve()));
  };
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`, close };
}

/** Starts the OTLP receiver and the web page with its JSON API, sharing one bounded store. */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? DEFAULT_HOST;
  const store = new TelemetryStore(options.limits);
  const forwarder = options.forwardTo ? createForwarder(options.forwardTo) : undefined;
  const intake = createOtlpIntake(store, forwarder);
  const otlp = await listen(intake.handle, options.otlpPort ?? DEFAULT_OTLP_PORT, host);
  let web;
  try {
    web = await listen(createWebHandler({ store, intake: intake.counts, forwarder }), options.uiPort ?? DEFAULT_UI_PORT, host);
  } catch (error) {
    await otlp.close();
    throw error;
  }
  const ui = web;
  return {
    otlpUrl: otlp.url,
    uiUrl: ui.url,
    stop: async () => {
      await Promise.all([otlp.close(), ui.close()]);
    },
  };
}
