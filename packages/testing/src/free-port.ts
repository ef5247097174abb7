import { createServer } from 'node:net';

/**
 * A loopback port nothing listens on right now (the kernel's pick), for a service a test is
 * about to start. The probe socket is closed before this resolves, so the port is free to bind.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
