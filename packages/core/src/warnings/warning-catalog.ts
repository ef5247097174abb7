import { WARNINGS } from './warning-entries';

/**
 * One message Threadline can print on stderr (`threadline warn: ...` or `threadline error: ...`).
 * `message` is the text as printed, with each variable part written `<like this>`; a test
 * checks that every warning in the code matches an entry, and docs/troubleshooting.md is
 * generated from the entries.
 */
export interface WarningEntry {
  id: string;
  message: string;
  cause: string;
  fix: string;
}

export { WARNINGS };

const PLACEHOLDER = /<[^<>]+>/g;

function toPattern(message: string): RegExp {
  const parts = message.split(PLACEHOLDER).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]+?')}$`);
}

const PATTERNS: readonly [RegExp, WarningEntry][] = WARNINGS.map((entry) => [toPattern(entry.message), entry]);

/**
 * The entry a printed message comes from, or undefined. Accepts the line as printed (with its
 * `threadline warn: ` prefix) or the message alone; entries are tried in order, the more
 * specific first.
 */
export function findWarning(printed: string): WarningEntry | undefined {
  const message = printed.replace(/^threadline (warn|error): /, '').trimEnd();
  return PATTERNS.find(([pattern]) => pattern.test(message))?.[1];
}
