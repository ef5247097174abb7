import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGitCheckout, withoutCredentials } from '../../src/resource/git-checkout';

const SHA = '4e30ad6c1b2a3d4e5f60718293a4b5c6d7e8f901';
const OTHER = '0123456789abcdef0123456789abcdef01234567';

describe('readGitCheckout', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'threadline-git-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  function write(path: string, content: string): void {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  const config = '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://example.com/fork.git\n[remote "origin"]\n\turl = https://deploy:ghp_secret@github.com/acme/orders.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';

  it('follows HEAD to a loose ref, from a directory below the checkout', () => {
    write('.git/HEAD', 'ref: refs/heads/main\n');
    write('.git/refs/heads/main', `${SHA}\n`);
    write('.git/config', config);
    mkdirSync(join(root, 'services', 'orders'), { recursive: true });
    expect(readGitCheckout(join(root, 'services', 'orders'))).toEqual({ revision: SHA, branch: 'main', repositoryUrl: 'https://github.com/acme/orders.git' });
  });

  it('finds a packed ref, and a detached HEAD', () => {
    write('.git/HEAD', 'ref: refs/heads/release/2.1\n');
    write('.git/packed-refs', `# pack-refs with: peeled fully-peeled sorted\n${OTHER} refs/heads/main\n${SHA} refs/heads/release/2.1\n^${OTHER}\n`);
    expect(readGitCheckout(root)).toEqual({ revision: SHA, branch: 'release/2.1' });
    write('.git/HEAD', `${OTHER}\n`);
    expect(readGitCheckout(root)).toEqual({ revision: OTHER });
  });

  it("follows a worktree's .git file to its own HEAD and the shared refs", () => {
    write('main/.git/config', config);
    write('main/.git/refs/heads/feature', `${SHA}\n`);
    write('main/.git/worktrees/feature/HEAD', 'ref: refs/heads/feature\n');
    write('main/.git/worktrees/feature/commondir', '../..\n');
    write('feature/.git', `gitdir: ${join(root, 'main/.git/worktrees/feature')}\n`);
    expect(readGitCheckout(join(root, 'feature'))).toEqual({ revision: SHA, branch: 'feature', repositoryUrl: 'https://github.com/acme/orders.git' });
  });

  it('gives nothing without a checkout, or with an unreadable HEAD', () => {
    expect(readGitCheckout(join(root))).toEqual(expect.not.objectContaining({ revision: expect.anything() }));
    write('.git/HEAD', 'garbage');
    expect(readGitCheckout(root)).toEqual({});
  });

  it('takes credentials out of remote URLs and leaves the others alone', () => {
    expect(withoutCredentials('https://user:token@gitlab.example.com/g/p.git')).toBe('https://gitlab.example.com/g/p.git');
    expect(withoutCredentials('git@github.com:acme/orders.git')).toBe('git@github.com:acme/orders.git');
    expect(withoutCredentials('ssh://git@host:2222/repo.git')).toBe('ssh://host:2222/repo.git');
  });
});
