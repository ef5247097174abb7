import { sanitizeSql } from './sanitize-sql';

/*
 * Database client errors quote the data of the failing statement: MariaDB/MySQL
 * `Duplicate entry 'alice@example.com' for key 'email'` and `... near 'SELECT 'x'' at line 1`
 * (mysql2 adds the whole statement as `sql`); PostgreSQL `invalid input syntax for type
 * integer: "x"` and, in `detail`, `Key (email)=(alice@example.com) already exists.`.
 */

/** `near '<fragment>' at line N`: the fragment itself holds quotes, so it goes as a whole. */
const NEAR_FRAGMENT = /near '[\s\S]*' at line (\d+)/g;
/** A quoted run ('...' or "...", doubled quotes inside), with the word before it. */
const QUOTED = /(\b[A-Za-z_]+\s+)?('(?:[^']|'')*'|"(?:[^"]|"")*")/g;
/** Words after which a quoted run names a schema object, not data. */
const IDENTIFIER_WORDS = new Set(['relation', 'column', 'constraint', 'table', 'index', 'key', 'type', 'schema', 'database', 'function', 'role', 'sequence', 'view', 'trigger']);
/** PostgreSQL's `detail`: `Key (email)=(value)` and `Failing row contains (values)`. */
const KEY_VALUES = /=\((?:[^()]|\([^()]*\))*\)/g;
const ROW_VALUES = /contains \([\s\S]*\)/g;

/**
 * knex puts the failing statement, with its values bound in, before the driver's message:
 * `insert into \`tasks\` (\`id\`, \`name\`) values (99999, 'x') - Cannot add or update a child row: ...`.
 */
const STATEMENT_PREFIX = /^\s*(?:select|insert|update|delete|with|replace|merge|call)\s/i;
const STATEMENT_SEPARATOR = ' - ';

/** A database error message with the data it quotes replaced by `?`; object names are kept. */
export function sanitizeDbErrorMessage(message: string): string {
  if (STATEMENT_PREFIX.test(message)) {
    // The last separator: a literal in the statement may hold one too. Should the driver's own
    // message hold one, part of it is read as SQL, which only masks more.
    const at = message.lastIndexOf(STATEMENT_SEPARATOR);
    if (at !== -1) return `${sanitizeSql(message.slice(0, at))}${STATEMENT_SEPARATOR}${sanitizeMessageText(message.slice(at + STATEMENT_SEPARATOR.length))}`;
  }
  return sanitizeMessageText(message);
}

function sanitizeMessageText(message: string): string {
  return message
    .replace(NEAR_FRAGMENT, 'near ? at line $1')
    .replace(QUOTED, (match: string, word: string | undefined) =>
      word !== undefined && IDENTIFIER_WORDS.has(word.trim().toLowerCase()) ? match : `${word ?? ''}?`,
    )
    .replace(KEY_VALUES, '=(?)')
    .replace(ROW_VALUES, 'contains (?)');
}

/** Fields of a database error that carry message text, and those that carry SQL. */
const MESSAGE_FIELDS = ['message', 'sqlMessage', 'detail', 'hint'];
const SQL_FIELDS = ['sql', 'internalQuery', 'where', 'query'];

/**
 * True for the shape of a mysql2 error (`sqlState`, `sqlMessage`, `sql`) or a pg one
 * (`severity`, a five-character SQLSTATE `code`, `routine`), as an Error or as a logger's
 * serialized copy of one.
 */
export function isDbError(value: object): boolean {
  const fields = value as Record<string, unknown>;
  if (typeof fields.sqlState === 'string' || typeof fields.sqlMessage === 'string') return true;
  return typeof fields.severity === 'string' && typeof fields.code === 'string' && fields.code.length === 5 && typeof fields.routine === 'string';
}

/**
 * Sanitizes a database error's fields in `fields` (a copy the caller owns): message text has
 * its quoted data replaced, SQL its literals, and the stack its first line (the message).
 */
export function sanitizeDbErrorFields(fields: Record<string, unknown>): void {
  const message = fields.message;
  for (const key of MESSAGE_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = sanitizeDbErrorMessage(value);
  }
  for (const key of SQL_FIELDS) {
    const value = fields[key];
    if (typeof value === 'string') fields[key] = sanitizeSql(value, 'sqlState' in fields);
  }
  const stack = fields.stack;
  if (typeof stack === 'string' && typeof message === 'string' && message.length > 0) {
    fields.stack = sanitizeStack(stack, message);
  }
}

/** A stack trace whose header quotes `message`: the header with the message sanitized. */
export function sanitizeStack(stack: string, message: string): string {
  const at = stack.indexOf(message);
  if (at !== -1) return `${stack.slice(0, at)}${sanitizeDbErrorMessage(message)}${stack.slice(at + message.length)}`;
  // No exact quote of the message: keep only the frames.
  const frames = stack.indexOf('\n    at ');
  return frames === -1 ? sanitizeDbErrorMessage(stack) : `${sanitizeDbErrorMessage(stack.slice(0, frames))}${stack.slice(frames)}`;
}
