import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, diagnosticLines, runApp } from './helpers/run-app';
import { useReceiver } from './helpers/receiver';

const SHA = '9fceb02d0ae598e95dc970b74767f19372d61af8';
const PACKED_SHA = 'c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4';

describe('resource attributes', () => {
  const receiver = useReceiver();

  async function resourceOf(script: string, env: Record<string, string> = {}) {
    const result = await runApp(['--require', '@threadline/node/register', script], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
    expect(result.code).toBe(0);
    expect(diagnosticLines(result.stderr)).toEqual([]);
    const [span] = await receiver.waitForSpans((spans) => spans.length > 0);
    return span!.resource;
  }

  it('carries the downward-API and CI/CD variables, which win over the git checkout', async () => {
    const resource = await resourceOf('span.cjs', {
      K8S_POD_NAME: 'orders-7d9f8-x2x4q',
      K8S_NAMESPACE_NAME: 'shop',
      K8S_NODE_NAME: 'node-3',
      K8S_POD_UID: '5b1a4e0c-3f2d-4c1b-9a8e-7d6c5b4a3f21',
      RENDER_GIT_COMMIT: SHA,
      RENDER_GIT_BRANCH: 'main',
      CI_PROJECT_URL: 'https://gitlab.example.com/shop/orders',
    });
    expect(resource).toMatchObject({
      'k8s.pod.name': 'orders-7d9f8-x2x4q',
      'k8s.namespace.name': 'shop',
      'k8s.node.name': 'node-3',
      'k8s.pod.uid': '5b1a4e0c-3f2d-4c1b-9a8e-7d6c5b4a3f21',
      'vcs.ref.head.revision': SHA,
      'vcs.ref.head.name': 'main',
      'vcs.repository.url.full': 'https://gitlab.example.com/shop/orders',
      // The fixtures' package.json names a version: it stays the service version.
      'service.version': '1.2.3',
    });
  });

  describe('from a git checkout', () => {
    let app: string;
    beforeAll(() => {
      mkdirSync(join(FIXTURES, '.bundles'), { recursive: true });
      app = mkdtempSync(join(FIXTURES, '.bundles', 'git-'));
      const write = (path: string, content: string) => {
        mkdirSync(join(app, path, '..'), { recursive: true });
        writeFileSync(join(app, path), content);
      };
      write('.git/HEAD', 'ref: refs/heads/deploy/blue\n');
      write('.git/packed-refs', `# pack-refs with: peeled fully-peeled sorted\n${SHA} refs/heads/main\n${PACKED_SHA} refs/heads/deploy/blue\n`);
      write('.git/config', '[remote "origin"]\n\turl = https://ci-bot:glpat-secret@gitlab.example.com/shop/orders.git\n');
      // No version here: the commit stands for it.
      write('package.json', '{ "name": "checkout-app" }\n');
      copyFileSync(join(FIXTURES, 'span.cjs'), join(app, 'span.cjs'));
    });
    afterAll(() => rmSync(app, { recursive: true, force: true }));

    it('reads the revision, branch and origin from .git without running git, and the version from the commit', async () => {
      const resource = await resourceOf(join(app, 'span.cjs'));
      expect(resource).toMatchObject({
        'service.name': 'checkout-app',
        'service.version': PACKED_SHA.slice(0, 12),
        'vcs.ref.head.revision': PACKED_SHA,
        'vcs.ref.head.name': 'deploy/blue',
        'vcs.repository.url.full': 'https://gitlab.example.com/shop/orders.git',
      });
      expect(JSON.stringify(resource)).not.toContain('secret');
    });

    it('reads no file when resource detection is off', async () => {
      const resource = await resourceOf(join(app, 'span.cjs'), { THREADLINE_RESOURCE_DETECTION: 'false' });
      expect(resource['service.name']).toBe('checkout-app');
      for (const key of ['vcs.ref.head.revision', 'vcs.ref.head.name', 'host.id', 'container.id']) expect(resource).not.toHaveProperty(key);
    });
  });
});
