import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPOSITORY = join(__dirname, '..', '..', '..', '..');

/** A fenced code block of a Markdown file, with the check its preceding comment asks for. */
export interface CodeBlock {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  text: string;
  /** `<!-- check: kind key=value ... -->` right before the fence; undefined when missing. */
  check: BlockCheck | undefined;
}

export interface BlockCheck {
  kind: string;
  options: Record<string, string>;
}

/** README.md and every docs/*.md: the files whose code blocks must not rot. */
export function documentedFiles(): string[] {
  const docs = readdirSync(join(REPOSITORY, 'docs')).filter((name) => name.endsWith('.md')).sort();
  return ['README.md', ...docs.map((name) => `docs/${name}`)];
}

const CHECK_COMMENT = /^<!--\s*check:\s*(\S+)(.*?)-->\s*$/;
const OPTION = /(\w[\w-]*)=(?:"([^"]*)"|(\S+))/g;

export function parseCheck(comment: string): BlockCheck | undefined {
  const match = CHECK_COMMENT.exec(comment.trim());
  if (!match) return undefined;
  const options: Record<string, string> = {};
  for (const option of (match[2] ?? '').matchAll(OPTION)) options[option[1]!] = option[2] ?? option[3] ?? '';
  return { kind: match[1]!, options };
}

export function readBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(REPOSITORY, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^(\s*)```(\S*)\s*$/.exec(lines[index]!);
    if (!fence) continue;
    const indent = fence[1]!.length;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) body.push(lines[end++]!.slice(indent));
    let previous = index - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    blocks.push({
      file,
      line: index + 1,
      language: fence[2]!,
      text: body.join('\n'),
      check: previous >= 0 ? parseCheck(lines[previous]!) : undefined,
    });
    index = end;
  }
  return blocks;
}

/** Whitespace-insensitive form of a text, for comparing an excerpt with its source. */
export function normalize(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/\s+/g, ' '))
    .filter((line) => line !== '')
    .join('\n');
}
