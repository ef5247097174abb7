/**
 * The field-name half of the redaction policy: a log field or span attribute whose name looks
 * like a secret has its value replaced by `[REDACTED]` in every signal. A name matches when,
 * lowercased and without `-`, `_`, `.` and spaces, it contains one of the patterns (normalized
 * the same way): `password` matches `userPassword` and `db.password`, `api_key` matches
 * `x-api-key` and `apiKey`.
 */
export const DEFAULT_REDACT_KEYS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'api_key',
  'apikey',
  'authorization',
  'cookie',
  'set-cookie',
  'session',
  'credit_card',
];

export const REDACTED_VALUE = '[REDACTED]';

export interface FieldRedactor {
  /** True when a field named `key` is masked. */
  isSecret(key: string): boolean;
}

/** Decided names kept per redactor: field names repeat, so each is matched once. */
const MAX_CACHED_NAMES = 4096;

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_. ]/g, '');
}

export function createFieldRedactor(patterns: readonly string[] = DEFAULT_REDACT_KEYS): FieldRedactor {
  const normalized = [...new Set(patterns.map(normalize).filter((pattern) => pattern.length > 0))];
  const decided = new Map<string, boolean>();
  return {
    isSecret(key: string): boolean {
      let secret = decided.get(key);
      if (secret === undefined) {
        const name = normalize(key);
        secret = normalized.some((pattern) => name.includes(pattern));
        // Past the bound, names are matched each time rather than cached: the cache stays bounded.
        if (decided.size < MAX_CACHED_NAMES) decided.set(key, secret);
      }
      return secret;
    },
  };
}

/** A redactor that masks nothing (`THREADLINE_REDACT_KEYS=none`). */
export const NO_FIELD_REDACTION: FieldRedactor = { isSecret: () => false };

/**
 * `attributes` with the values of secret-looking names replaced by `[REDACTED]`: the same object
 * when none matches (the common case costs one cached lookup per name), else a copy.
 */
export function maskSecretAttributes<T extends Record<string, unknown>>(attributes: T, redactor: FieldRedactor): T {
  let masked: Record<string, unknown> | undefined;
  for (const key in attributes) {
    if (!redactor.isSecret(key) || attributes[key] === REDACTED_VALUE) continue;
    masked ??= { ...attributes };
    masked[key] = REDACTED_VALUE;
  }
  return (masked ?? attributes) as T;
}
