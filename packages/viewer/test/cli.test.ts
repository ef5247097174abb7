import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const BIN = join(__dirname, '..', 'bin', 'threadline-viewer.cjs');

describe('threadline-viewer', () => {
  it('serves the page and the API, receives OTLP on the printed address, and ends on Ctrl-C', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--ui-port', '0', '--max-traces', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 20_000;
      while (!/web page\s+http/.test(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const otlpUrl = /OTLP\/HTTP\s+(http:\S+)/.exec(stdout)?.[1];
      const uiUrl = /web page\s+(http:\S+)/.exec(stdout)?.[1];
      expect(otlpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${uiUrl}/`);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<script type="module" src="app.js">');
      expect((await fetch(`${uiUrl}/app.js`)).status).toBe(200);
      expect((await fetch(`${uiUrl}/../package.json`)).status).toBe(404);
      const received = await fetch(`${otlpUrl}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"resourceLogs":[]}' });
      expect(received.status).toBe(200);
      const stats = (await (await fetch(`${uiUrl}/api/stats`)).json()) as { limits: { maxTraces: number }; intake: { json: number } };
      expect(stats.limits.maxTraces).toBe(10);
      expect(stats.intake.json).toBe(1);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('explains a bad argument and exits 2', async () => {
    const child = spawn(process.execPath, [BIN, '--port', 'many'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('bad argument: --port many');
    expect(stderr).toContain('--max-traces N');
  });
});
