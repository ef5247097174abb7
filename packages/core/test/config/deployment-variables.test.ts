import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BRANCH_VARIABLES, REPOSITORY_VARIABLES, REVISION_VARIABLES, readDeploymentVariables } from '../../src/config/deployment-variables';
import { resolveConfig } from '../../src/config/resolve-config';

const SHA = '4e30ad6c1b2a3d4e5f60718293a4b5c6d7e8f901';

describe('readDeploymentVariables', () => {
  it.each(REVISION_VARIABLES.map((name) => [name]))('reads the commit from %s', (name) => {
    expect(readDeploymentVariables({ [name]: SHA }).revision).toBe(SHA);
  });

  it('takes the first variable set, skips values that are not commits, and reads branch and repository', () => {
    expect(readDeploymentVariables({ GIT_COMMIT: 'not-a-sha', RENDER_GIT_COMMIT: SHA.toUpperCase(), RENDER_GIT_BRANCH: 'main', CI_PROJECT_URL: 'https://gitlab.com/g/p' })).toEqual({
      revision: SHA,
      branch: 'main',
      repositoryUrl: 'https://gitlab.com/g/p',
    });
    expect(readDeploymentVariables({ GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main', GITHUB_REF_NAME: 'main', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/orders' })).toEqual({
      revision: SHA,
      branch: 'main',
      repositoryUrl: 'https://github.com/acme/orders',
    });
    // A tag build's GITHUB_REF_NAME is the tag, not a branch; Jenkins prefixes the remote.
    expect(readDeploymentVariables({ GITHUB_REF: 'refs/tags/v1.2.0', GITHUB_REF_NAME: 'v1.2.0' }).branch).toBeUndefined();
    expect(readDeploymentVariables({ GIT_BRANCH: 'origin/release' }).branch).toBe('release');
    expect(readDeploymentVariables({})).toEqual({});
  });

  it('is what resolveConfig puts in config.deployment, with the downward-API variables in config.kubernetes', () => {
    const { config } = resolveConfig({}, { HEROKU_SLUG_COMMIT: SHA, K8S_POD_NAME: 'orders-7d9f', K8S_NAMESPACE_NAME: 'shop', K8S_NODE_NAME: 'node-3', K8S_POD_UID: 'f1e2' });
    expect(config.deployment).toEqual({ revision: SHA });
    expect(config.kubernetes).toEqual({ podName: 'orders-7d9f', namespaceName: 'shop', nodeName: 'node-3', podUid: 'f1e2' });
  });

  it('every variable read is listed in docs/resource.md', () => {
    const docs = readFileSync(join(__dirname, '../../../../docs/resource.md'), 'utf8');
    for (const name of [...REVISION_VARIABLES, ...BRANCH_VARIABLES, ...REPOSITORY_VARIABLES, 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY']) expect(docs).toContain(`\`${name}\``);
  });
});
