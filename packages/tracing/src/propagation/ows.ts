/**
 * Removes optional whitespace (space, tab) from both ends. A scan, not a regular expression:
 * `/[ \t]+$/` backtracks over every run of inner whitespace, which is quadratic in the length
 * of a header an attacker controls.
 */
export function trimOws(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isOws(value.charCodeAt(start))) start++;
  while (end > start && isOws(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/**
 * Calls `visit` with each comma-separated member of a header list, whitespace trimmed and
 * empty members skipped, until it returns false. Walks the string with `indexOf` instead of
 * `split`, so a header of thousands of empty members allocates nothing for them.
 */
export function forEachListMember(list: string, visit: (member: string) => boolean | void): boolean {
  let start = 0;
  while (start <= list.length) {
    let end = list.indexOf(',', start);
    if (end === -1) end = list.length;
    const member = trimOws(list.slice(start, end));
    if (member !== '' && visit(member) === false) return false;
    start = end + 1;
  }
  return true;
}
