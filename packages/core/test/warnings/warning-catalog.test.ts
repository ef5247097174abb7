import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { WARNINGS, findWarning } from '../../src/warnings/warning-catalog';

// Reads every package's source as a user of the catalog cannot: each call that prints a warning
// or an error must match a catalog entry, so docs/troubleshooting.md lists every message.
const PACKAGES = join(__dirname, '..', '..', '..');
const PRINTING = new Set(['warn', 'warnOnce', 'error', 'suppressed']);
const VARIABLE = '<x>';

/**
 * Calls whose message is a variable, and what the variable holds: resolveConfig's warnings
 * (every `warnings.push(...)` in core's config), and guard's key.
 */
const FORWARDED: Record<string, 'config-warnings' | string> = {
  'node/src/start.ts warning': 'config-warnings',
  'core/src/guard.ts key': '<what> failed',
  'tracing/src/watch-clients.ts what.failure': 'could not load a messaging instrumentation',
};

interface PrintedMessage {
  where: string;
  template: string;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The message as written, with each variable part as `<x>`. */
function templateOf(node: ts.Expression): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return node.head.text + node.templateSpans.map((span) => VARIABLE + span.literal.text).join('');
  if (ts.isParenthesizedExpression(node)) return templateOf(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) return templateOf(node.left) + templateOf(node.right);
  return VARIABLE;
}

function visit(file: string, onCall: (call: ts.CallExpression, source: ts.SourceFile) => void): void {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const walk = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) onCall(node, source);
    ts.forEachChild(node, walk);
  };
  walk(source);
}

const files = readdirSync(PACKAGES).flatMap((name) => {
  try {
    return sourceFiles(join(PACKAGES, name, 'src'));
  } catch {
    return [];
  }
});

function configWarnings(): PrintedMessage[] {
  const found: PrintedMessage[] = [];
  for (const file of files.filter((path) => path.includes(join('core', 'src', 'config')))) {
    visit(file, (call, source) => {
      if (call.expression.getText(source) === 'warnings.push' && call.arguments[0]) {
        found.push({ where: `${relative(PACKAGES, file)}:${source.getLineAndCharacterOfPosition(call.getStart()).line + 1}`, template: templateOf(call.arguments[0]) });
      }
    });
  }
  return found;
}

/** Every message a diagnostics logger is asked to print, as written at its call site. */
function printedMessages(): PrintedMessage[] {
  const found: PrintedMessage[] = [];
  for (const file of files) {
    visit(file, (call, source) => {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || !PRINTING.has(callee.name.text) || !/diagnostics$/i.test(callee.expression.getText(source))) return;
      const method = callee.name.text;
      const argument = call.arguments[method === 'warnOnce' ? 1 : 0];
      if (!argument) return;
      const where = `${relative(PACKAGES, file)}:${source.getLineAndCharacterOfPosition(call.getStart()).line + 1}`;
      let template = templateOf(argument);
      if (template === VARIABLE) {
        const forwarded = FORWARDED[`${relative(PACKAGES, file)} ${argument.getText(source)}`];
        if (forwarded === undefined) {
          found.push({ where, template: `${argument.getText(source)}: a variable; name what it holds in FORWARDED` });
          return;
        }
        if (forwarded === 'config-warnings') {
          found.push(...configWarnings());
          return;
        }
        template = forwarded;
      }
      // A suppressed failure is printed as `<key>: <error>`.
      found.push({ where, template: method === 'suppressed' ? `${template}: ${VARIABLE}` : template });
    });
  }
  return found;
}

describe('the warning catalog', () => {
  const messages = printedMessages();

  it('finds the printing calls of every package', () => {
    expect(messages.length).toBeGreaterThan(30);
    expect(messages.map((message) => message.where)).toEqual(expect.arrayContaining([expect.stringMatching(/^tracing\/src\/messaging\//), expect.stringMatching(/^log-correlation\//)]));
  });

  it('has an entry for every message printed in any package', () => {
    const missing = messages.filter((message) => !findWarning(message.template.replaceAll(VARIABLE, 'X')));
    expect(missing).toEqual([]);
  });

  it('has no entry that nothing prints any more', () => {
    const used = new Set(messages.map((message) => findWarning(message.template.replaceAll(VARIABLE, 'X'))?.id));
    expect(WARNINGS.map((entry) => entry.id).filter((id) => !used.has(id))).toEqual([]);
  });

  it('gives each entry a unique id, a cause and a fix', () => {
    expect(new Set(WARNINGS.map((entry) => entry.id)).size).toBe(WARNINGS.length);
    for (const entry of WARNINGS) {
      expect(entry.cause.length).toBeGreaterThan(20);
      expect(entry.fix.length).toBeGreaterThan(10);
    }
  });

  it('explains a line as printed, variable parts and all', () => {
    expect(findWarning('threadline warn: pg was loaded before Threadline started: its calls will not be traced; start Threadline first')?.id).toBe('loaded-before-start');
    expect(findWarning('threadline warn: OTEL_TRACES_SAMPLER_ARG="half" is invalid (expected a number from 0 to 1); using 1')?.id).toBe('invalid-variable');
    expect(findWarning('threadline warn: telemetry export failed: connect ECONNREFUSED 127.0.0.1:4318 (3 more since the last report)')?.id).toBe('export-failed');
    expect(findWarning('something the app printed')).toBeUndefined();
  });
});
