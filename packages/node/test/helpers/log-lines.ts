/** The JSON log lines a service wrote to stdout (other output is skipped). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    lines.push(JSON.parse(line) as Record<string, unknown>);
  }
  return lines;
}
