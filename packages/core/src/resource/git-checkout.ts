import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readSmallFile } from './read-small-file';

export interface VcsFacts {
  revision?: string;
  branch?: string;
  repositoryUrl?: string;
}

/** A checkout deeper than this above the app is not the app's. */
const MAX_LEVELS_UP = 12;
const REVISION = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The commit, branch and origin URL of the git checkout the app runs from, read from the files
 * under `.git` directly (no `git` child process: start-up stays cheap): `HEAD`, the ref it
 * points to (loose, else in `packed-refs`), and `config`'s `[remote "origin"]`. A worktree's
 * or submodule's `.git` file (`gitdir: ...`) is followed, and refs are looked up in the shared
 * directory its `commondir` names. Anything unreadable just yields less.
 */
export function readGitCheckout(startDirectory: string): VcsFacts {
  const gitDir = findGitDir(resolve(startDirectory));
  if (!gitDir) return {};
  const commonDir = commonDirOf(gitDir);
  const head = readSmallFile(join(gitDir, 'HEAD'), 1024)?.trim();
  if (!head) return {};
  const facts: VcsFacts = {};
  if (head.startsWith('ref: ')) {
    const ref = head.slice(5).trim();
    if (ref.startsWith('refs/heads/')) facts.branch = ref.slice('refs/heads/'.length);
    const revision = readRef(gitDir, ref) ?? readRef(commonDir, ref) ?? packedRef(commonDir, ref);
    if (revision) facts.revision = revision;
  } else if (REVISION.test(head)) {
    facts.revision = head;
  }
  const url = originUrl(readSmallFile(join(commonDir, 'config')));
  if (url) facts.repositoryUrl = url;
  return facts;
}

function findGitDir(start: string): string | undefined {
  let directory = start;
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const candidate = join(directory, '.git');
    if (readSmallFile(join(candidate, 'HEAD'), 1) !== undefined) return candidate;
    const pointer = readSmallFile(candidate, 4096)?.trim();
    if (pointer?.startsWith('gitdir: ')) {
      const target = pointer.slice('gitdir: '.length).trim();
      return isAbsolute(target) ? target : resolve(directory, target);
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
  return undefined;
}

function commonDirOf(gitDir: string): string {
  const common = readSmallFile(join(gitDir, 'commondir'), 4096)?.trim();
  if (!common) return gitDir;
  return isAbsolute(common) ? common : resolve(gitDir, common);
}

function readRef(gitDir: string, ref: string): string | undefined {
  const value = readSmallFile(join(gitDir, ref), 256)?.trim();
  return value && REVISION.test(value) ? value : undefined;
}

/** `packed-refs`: `<sha> <ref>` lines (and `^<sha>` peeled lines for tags, skipped). */
function packedRef(gitDir: string, ref: string): string | undefined {
  const content = readSmallFile(join(gitDir, 'packed-refs'), 1024 * 1024);
  if (!content) return undefined;
  for (const line of content.split('\n')) {
    const [sha, name] = line.trim().split(' ');
    if (name === ref && sha && REVISION.test(sha)) return sha;
  }
  return undefined;
}

/** The origin remote's URL, with any user name or token taken out of it. */
export function originUrl(config: string | undefined): string | undefined {
  if (!config) return undefined;
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inOrigin = /^\[remote\s+"origin"\]$/.test(line);
    else if (inOrigin) {
      const match = /^url\s*=\s*(.+)$/.exec(line);
      if (match) return withoutCredentials(match[1]!.trim());
    }
  }
  return undefined;
}

export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
