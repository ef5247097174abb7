// Starting and stopping the services as real processes, each with the one-line bootstrap.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// If the demo fails half-way, no service is left running behind it.
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

async function waitUntilHealthy(url, child, name) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    const healthy = await fetch(`${url}/health`).then((answer) => answer.ok, () => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} was not ready after 30 s`);
}

/**
 * Starts `node [--import @threadline/node/register] services/<script>`. The service's JSON
 * log lines go to /dev/null (the viewer receives them over OTLP); its stderr, where Threadline
 * would warn, is passed through.
 */
export async function startService({ name, script, register, port, version, env }) {
  const args = register ? ['--import', '@threadline/node/register', join('services', script)] : [join('services', script)];
  const child = spawn(process.execPath, args, {
    cwd: exampleDir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      OTEL_SERVICE_NAME: name,
      OTEL_RESOURCE_ATTRIBUTES: `service.version=${version},deployment.environment.name=demo`,
    },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stderr.on('data', (chunk) => process.stderr.write(`[${name}] ${chunk}`));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(url, child, name);
  return {
    name,
    url,
    version,
    /** SIGTERM: Threadline flushes what the service still holds, then the process ends. */
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
