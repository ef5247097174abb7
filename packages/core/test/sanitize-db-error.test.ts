import { isDbError, sanitizeDbErrorFields, sanitizeDbErrorMessage, sanitizeStack } from '../src/sanitize-db-error';

describe('sanitizeDbErrorMessage', () => {
  // Messages as MariaDB (through mysql2) and PostgreSQL (through pg) produce them.
  it.each([
    [
      "You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'SELEC 'my-secret' FROM x WHERE a = 'b'' at line 1",
      'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near ? at line 1',
    ],
    ["Duplicate entry 'dup-secret' for key 'email'", "Duplicate entry ? for key 'email'"],
    ["Table 'test.nope_tbl' doesn't exist", "Table 'test.nope_tbl' doesn't exist"],
    ["Unknown column 'nope' in 'SELECT'", "Unknown column 'nope' in ?"],
    ['invalid input syntax for type integer: "pg-secret"', 'invalid input syntax for type integer: ?'],
    ['relation "nope_tbl" does not exist', 'relation "nope_tbl" does not exist'],
    ['duplicate key value violates unique constraint "u_email_key"', 'duplicate key value violates unique constraint "u_email_key"'],
    ['Key (email)=(dup-secret) already exists.', 'Key (email)=(?) already exists.'],
    ['Failing row contains (1, row-secret, null).', 'Failing row contains (?).'],
    ["a quote 'it''s secret' with a doubled quote", 'a quote ? with a doubled quote'],
    // knex's form: the statement with its values bound in, then the driver's message.
    [
      "insert into `tasks` (`assigned_user_id`, `name`) values (99999, 'task - secret') - Cannot add or update a child row: a foreign key constraint fails (`db`.`tasks`, CONSTRAINT `tasks_ibfk_2` FOREIGN KEY (`assigned_user_id`) REFERENCES `users` (`id`))",
      'insert into `tasks` (`assigned_user_id`, `name`) values (?, ?) - Cannot add or update a child row: a foreign key constraint fails (`db`.`tasks`, CONSTRAINT `tasks_ibfk_2` FOREIGN KEY (`assigned_user_id`) REFERENCES `users` (`id`))',
    ],
    [
      'select * from "users" where "id" = 42 - invalid input syntax for type integer: "knex-secret"',
      'select * from "users" where "id" = ? - invalid input syntax for type integer: ?',
    ],
  ])('%s', (message, expected) => {
    expect(sanitizeDbErrorMessage(message)).toBe(expected);
  });
});

describe('database error fields', () => {
  it('recognizes mysql2 and pg errors, and nothing else', () => {
    expect(isDbError({ message: 'x', code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sqlMessage: 'x' })).toBe(true);
    expect(isDbError({ message: 'x', severity: 'ERROR', code: '23505', routine: '_bt_check_unique' })).toBe(true);
    expect(isDbError({ message: 'x', code: 'ECONNREFUSED' })).toBe(false);
    expect(isDbError(new Error('plain'))).toBe(false);
  });

  it('sanitizes message, sqlMessage, detail, sql and the stack header, keeping codes', () => {
    const fields: Record<string, unknown> = {
      type: 'Error',
      message: "Duplicate entry 'dup-secret' for key 'email'",
      stack: "Error: Duplicate entry 'dup-secret' for key 'email'\n    at Query.run (query.js:1:1)",
      code: 'ER_DUP_ENTRY',
      errno: 1062,
      sqlState: '23000',
      sqlMessage: "Duplicate entry 'dup-secret' for key 'email'",
      sql: "INSERT INTO u VALUES ('dup-secret', 42)",
    };
    sanitizeDbErrorFields(fields);
    expect(JSON.stringify(fields)).not.toContain('dup-secret');
    expect(fields).toMatchObject({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', sql: 'INSERT INTO u VALUES (?, ?)' });
    expect(fields.stack).toBe("Error: Duplicate entry ? for key 'email'\n    at Query.run (query.js:1:1)");
  });

  it('sanitizes a stack that does not quote the message verbatim, keeping its frames', () => {
    expect(sanitizeStack("error: value 'x-secret' bad\n    at f (a.js:1:1)", 'other')).toBe('error: value ? bad\n    at f (a.js:1:1)');
  });
});
