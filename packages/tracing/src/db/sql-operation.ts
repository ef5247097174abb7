/** What a SQL statement does and to which table, parsed from its sanitized text. */
export interface SqlOperation {
  operation: string | undefined;
  collection: string | undefined;
}

/** A name as written: bare, schema-qualified, or quoted with "..." or `...` (quotes kept, per the conventions). */
const NAME = String.raw`((?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*)(?:\.(?:"[^"]+"|\x60[^\x60]+\x60|[A-Za-z_][\w$]*))*)`;
/** The first table a statement names, for the statements that name one. */
const COLLECTION_PATTERNS: Record<string, RegExp> = {
  SELECT: new RegExp(String.raw`\bFROM\s+(?!\()${NAME}`, 'i'),
  DELETE: new RegExp(String.raw`\bFROM\s+${NAME}`, 'i'),
  INSERT: new RegExp(String.raw`\bINTO\s+${NAME}`, 'i'),
  REPLACE: new RegExp(String.raw`\bINTO\s+${NAME}`, 'i'),
  UPDATE: new RegExp(String.raw`^\s*UPDATE\s+(?:ONLY\s+)?${NAME}`, 'i'),
  CREATE: new RegExp(String.raw`\bTABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}`, 'i'),
  DROP: new RegExp(String.raw`\bTABLE\s+(?:IF\s+EXISTS\s+)?${NAME}`, 'i'),
  ALTER: new RegExp(String.raw`\bTABLE\s+(?:ONLY\s+)?${NAME}`, 'i'),
  TRUNCATE: new RegExp(String.raw`^\s*TRUNCATE\s+(?:TABLE\s+)?(?:ONLY\s+)?${NAME}`, 'i'),
};
/** Only the head of a long statement is looked at: the operation and first table come early. */
const MAX_SCANNED_LENGTH = 2048;
const MAX_CACHED = 512;
const cache = new Map<string, SqlOperation>();

/**
 * `db.operation.name` (the first keyword) and `db.collection.name` (the first table named) of a
 * sanitized statement, as the database conventions allow when parsed from the query text. A
 * service runs few distinct statements, so each text is parsed once (bounded cache).
 */
export function parseSqlOperation(sanitizedText: string): SqlOperation {
  let parsed = cache.get(sanitizedText);
  if (parsed) return parsed;
  const head = sanitizedText.length > MAX_SCANNED_LENGTH ? sanitizedText.slice(0, MAX_SCANNED_LENGTH) : sanitizedText;
  const operation = /^\s*([A-Za-z]+)/.exec(head)?.[1]?.toUpperCase();
  const pattern = operation ? COLLECTION_PATTERNS[operation] : undefined;
  parsed = { operation, collection: pattern?.exec(head)?.[1] };
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(sanitizedText, parsed);
  return parsed;
}

/**
 * The span name the database conventions give: `{db.operation.name} {db.collection.name}`, or
 * the operation alone when no table is named, or `{db.system.name}` when neither is known.
 */
export function dbSpanName(operation: string | undefined, collection: string | undefined, system: string): string {
  if (operation && collection) return `${operation} ${collection}`;
  return operation ?? collection ?? system;
}
