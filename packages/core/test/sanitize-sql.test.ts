import { sanitizeSql } from '../src/sanitize-sql';

describe('sanitizeSql', () => {
  it.each([
    ["SELECT * FROM users WHERE email = 'ann@example.com' AND age > 42", 'SELECT * FROM users WHERE email = ? AND age > ?'],
    ["INSERT INTO t (a, b) VALUES ('it''s', -3.5e2)", 'INSERT INTO t (a, b) VALUES (?, -?)'],
    ["SELECT 'a\\'b' AS x", 'SELECT ? AS x'],
    ['SELECT * FROM t WHERE id = $1 AND name = $2', 'SELECT * FROM t WHERE id = $1 AND name = $2'],
    ['SELECT * FROM t WHERE id = ? LIMIT 10', 'SELECT * FROM t WHERE id = ? LIMIT ?'],
    ['SELECT "Column1", t2.c3 FROM table2 t2', 'SELECT "Column1", t2.c3 FROM table2 t2'],
    ["SELECT $body$ secret text $body$, $$x$$", 'SELECT ?, ?'],
    ["SELECT x'DEADBEEF', 0xff, b'101'", 'SELECT ?, ?, ?'],
    ["SELECT 1 -- user 'ann'\nFROM t /* card 4111 */", 'SELECT ? FROM t'],
    ['UPDATE accounts SET balance = balance - 100 WHERE id = 7', 'UPDATE accounts SET balance = balance - ? WHERE id = ?'],
  ])('%s', (input, expected) => {
    expect(sanitizeSql(input)).toBe(expected);
  });

  it('treats "..." as a string literal in MySQL mode and keeps backtick identifiers', () => {
    expect(sanitizeSql('SELECT `name` FROM t WHERE a = "secret"', true)).toBe('SELECT `name` FROM t WHERE a = ?');
  });

  it('never lets an unterminated literal through', () => {
    expect(sanitizeSql("SELECT 'unterminated secret")).toBe('SELECT ?');
  });
});
