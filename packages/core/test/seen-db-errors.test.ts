import { rememberDbErrorMessage, sanitizeSeenDbErrors, sanitizedDbError } from '../src/seen-db-errors';

describe('database error messages seen before', () => {
  it('are replaced wherever a later text quotes them, and other text is left alone', () => {
    const message = `invalid input syntax for type integer: "seen-${Date.now()}"`;
    expect(sanitizeSeenDbErrors(`failed: ${message}`)).toBe(`failed: ${message}`);
    expect(rememberDbErrorMessage(message)).toBe('invalid input syntax for type integer: ?');
    expect(sanitizeSeenDbErrors(`failed: ${message} (twice: ${message})`)).toBe(
      'failed: invalid input syntax for type integer: ? (twice: invalid input syntax for type integer: ?)',
    );
    expect(sanitizeSeenDbErrors("Cannot find module 'x'")).toBe("Cannot find module 'x'");
  });

  it('keep only the most recent messages', () => {
    const first = `Duplicate entry 'first-${Date.now()}' for key 'email'`;
    rememberDbErrorMessage(first);
    for (let index = 0; index < 100; index++) rememberDbErrorMessage(`Duplicate entry 'later-${index}' for key 'email'`);
    expect(sanitizeSeenDbErrors(first)).toBe(first);
    expect(sanitizeSeenDbErrors("Duplicate entry 'later-99' for key 'email'")).toBe("Duplicate entry ? for key 'email'");
  });

  it('copy a pg or mysql2 error without its data, and nothing else', () => {
    const mysqlError = Object.assign(new Error("Duplicate entry 'ann@example.com' for key 'email'"), {
      code: 'ER_DUP_ENTRY',
      sqlState: '23000',
      sqlMessage: "Duplicate entry 'ann@example.com' for key 'email'",
    });
    const copy = sanitizedDbError(mysqlError);
    expect(copy).toMatchObject({ name: 'Error', code: 'ER_DUP_ENTRY', message: "Duplicate entry ? for key 'email'" });
    expect(copy?.stack).toMatch(/^Error: Duplicate entry \? for key 'email'\n {4}at /);
    expect(mysqlError.message).toBe("Duplicate entry 'ann@example.com' for key 'email'");
    expect(sanitizedDbError(new Error("Cannot find module 'x'"))).toBeUndefined();
    expect(sanitizedDbError('a string')).toBeUndefined();
  });
});
