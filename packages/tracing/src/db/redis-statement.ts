/** Commands whose arguments are all secrets or not keys. */
const NO_KEY_COMMANDS = new Set(['auth', 'hello', 'config', 'client', 'acl', 'script', 'eval', 'evalsha', 'migrate']);
const MAX_KEY_LENGTH = 128;

/**
 * `db.query.text` for Redis: the command and its key, every other argument replaced by `?`
 * (values are never exported; `AUTH` passwords included).
 */
export function redisStatement(command: string, args: readonly unknown[]): string {
  if (args.length === 0) return command;
  const keepKey = !NO_KEY_COMMANDS.has(command.toLowerCase());
  const key = keepKey ? String(args[0]).slice(0, MAX_KEY_LENGTH) : '?';
  const rest = args.slice(1).map(() => '?');
  return [command, key, ...rest].join(' ');
}
