import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';

/**
 * Every regular expression in src/ is checked for catastrophic backtracking (ReDoS) with
 * recheck. A pattern built at run time cannot be checked from the source: each one is listed
 * here with the pattern it builds, or why it is never run.
 */

const ROOT = join(__dirname, '../..');
const SOURCE = join(ROOT, 'src');

/** `file: constructor text` → the pattern it builds (checked too), or why nothing is matched with it. */
const BUILT_AT_RUN_TIME: Record<string, { builds: string; flags: string } | { neverRun: string }> = {
  "src/graph/graphTransport.ts: new RegExp(`^/${GRAPH_VERSION.replace('.', '\\\\.')}`)": { builds: '^/v1\\.0', flags: '' },
  "src/rules/regex.ts: new RegExp(pattern, 'i')": { neverRun: 'a -match pattern compiled to check its syntax; patterns run only on RE2' },
};

interface FoundRegex {
  where: string;
  source: string;
  flags: string;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** Regex literals and RegExp constructions of one file; constructions from run-time text go to `dynamic`. */
function regexesOf(path: string, dynamic: string[]): FoundRegex[] {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const name = relative(ROOT, path);
  const found: FoundRegex[] = [];
  const visit = (node: ts.Node): void => {
    const where = () => `${name}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText();
      const end = text.lastIndexOf('/');
      found.push({ where: where(), source: text.slice(1, end), flags: text.slice(end + 1) });
    }
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') {
      const [pattern, flags] = node.arguments ?? [];
      const source = literalText(pattern);
      const flagText = flags === undefined ? '' : literalText(flags);
      if (source !== undefined && flagText !== undefined) found.push({ where: where(), source, flags: flagText });
      else dynamic.push(`${name}: ${node.getText()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const dynamic: string[] = [];
const literals = sourceFiles(SOURCE).flatMap((path) => regexesOf(path, dynamic));
const built = Object.entries(BUILT_AT_RUN_TIME).flatMap(([where, entry]) =>
  'builds' in entry ? [{ where, source: entry.builds, flags: entry.flags }] : [],
);

describe('regular expressions in the source', () => {
  it('finds the regular expressions there are', () => {
    expect(literals.length).toBeGreaterThan(20);
  });

  it('lists every pattern built at run time, and nothing that is gone', () => {
    expect(dynamic.sort()).toEqual(Object.keys(BUILT_AT_RUN_TIME).sort());
  });

  it('has none that can backtrack catastrophically', () => {
    const verdicts = [...literals, ...built].map((regex) => {
      const diagnostics = checkSync(regex.source, regex.flags, { timeout: 10_000 });
      const complexity = diagnostics.status === 'vulnerable' ? ` (${diagnostics.complexity.summary})` : '';
      return { regex: `${regex.where} /${regex.source}/${regex.flags}`, status: `${diagnostics.status}${complexity}` };
    });
    expect(verdicts.filter((v) => v.status !== 'safe')).toEqual([]);
  });
});
