/**
 * Replaces the literals in a SQL statement with `?`, as the semantic conventions ask for
 * `db.query.text`: quoted strings (with doubled-quote and backslash escapes), dollar-quoted
 * strings, numbers, hex and bit strings. Comments are dropped (they can carry data too);
 * identifiers, keywords and placeholders (`$1`, `?`, `:name`) are kept. With `doubleQuotedStrings`
 * (MySQL's default mode) "..." is a string literal; otherwise it is an identifier.
 */
export function sanitizeSql(sql: string, doubleQuotedStrings = false): string {
  let out = '';
  let index = 0;
  const length = sql.length;
  while (index < length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === '-' && next === '-') {
      index = skipUntil(sql, index, '\n');
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', index + 2);
      index = end === -1 ? length : end + 2;
    } else if (char === "'" || (char === '"' && doubleQuotedStrings)) {
      index = skipQuoted(sql, index, char);
      out += '?';
    } else if ((char === 'x' || char === 'X' || char === 'b' || char === 'B' || char === 'e' || char === 'E') && next === "'" && !isWordChar(sql[index - 1])) {
      index = skipQuoted(sql, index + 1, "'");
      out += '?';
    } else if (char === '"' || char === '`') {
      const end = skipQuoted(sql, index, char);
      out += sql.slice(index, end);
      index = end;
    } else if (char === '$' && !/\d/.test(next ?? '')) {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(index, index + 64))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, index + tag.length);
        index = end === -1 ? length : end + tag.length;
        out += '?';
      } else {
        out += char;
        index++;
      }
    } else if (isDigit(char) && !isWordChar(sql[index - 1]) && sql[index - 1] !== '$') {
      index = skipNumber(sql, index);
      out += '?';
    } else {
      out += char;
      index++;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

function skipUntil(text: string, from: number, needle: string): number {
  const end = text.indexOf(needle, from);
  return end === -1 ? text.length : end;
}

/** Index just past the closing quote; a doubled quote or a backslash escape does not close. */
function skipQuoted(text: string, openingIndex: number, quote: string): number {
  let index = openingIndex + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') {
      index += 2;
    } else if (char === quote) {
      if (text[index + 1] === quote) index += 2;
      else return index + 1;
    } else {
      index++;
    }
  }
  return text.length;
}

function skipNumber(text: string, from: number): number {
  const match = /^(?:0x[0-9a-f]+|\d+(?:\.\d*)?(?:e[+-]?\d+)?)/i.exec(text.slice(from, from + 64));
  return from + (match ? match[0].length : 1);
}

function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Za-z0-9_$.]/.test(char);
}
