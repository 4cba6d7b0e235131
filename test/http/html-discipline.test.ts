import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * One way to write HTML: every view goes through the escaping `html` template, and raw markup
 * enters a page only through `sanitized` (lib/markdown.ts: comments, search highlights) and
 * `texHtml` (lib/tex.ts: KaTeX's typeset formulas in titles and abstracts). This reads the source
 * of every view (src/http, src/mail) and fails on a string or untagged template that holds markup,
 * and on any SafeHtml made outside those files.
 */
const ROOT = path.resolve('src');
const VIEW_DIRS = ['http', 'mail'];
const TEMPLATE_FILES = new Set(['lib/html-template.ts', 'lib/markdown.ts', 'lib/tex.ts']);
/** A tag or an entity, as markup has and prose in code almost never does. */
const MARKUP = /<\/?[a-z][a-z0-9]*(?:[\s>]|\/>)|&[a-z]+;|&#\d+;/i;

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

function problems(file: string): string[] {
  const rel = path.relative(ROOT, file);
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const view = VIEW_DIRS.some((d) => rel.startsWith(`${d}/`));
  const found: string[] = [];
  const at = (n: ts.Node) => `${rel}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isNewExpression(n) && n.expression.getText() === 'SafeHtml' && !TEMPLATE_FILES.has(rel))
      found.push(`${at(n)} makes SafeHtml by hand`);
    if (view && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateExpression(n))) {
      const tagged = ts.isTaggedTemplateExpression(n.parent) && n.parent.tag.getText() === 'html';
      const text = ts.isTemplateExpression(n) ? n.getText() : n.text;
      const isImport = ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent);
      if (!tagged && !isImport && MARKUP.test(text))
        found.push(`${at(n)} builds markup outside html\`\`: ${text.slice(0, 60)}`);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

describe('HTML discipline', () => {
  it('builds every view through the escaping template', () => {
    const all = tsFiles(ROOT).flatMap(problems);
    expect(all).toEqual([]);
  });

  it('would notice markup built by concatenation (the check itself works)', () => {
    const tmp = path.join(ROOT, 'http', '__probe__.ts');
    fs.writeFileSync(tmp, "export const bad = (t: string) => '<p>' + t + '</p>';\n");
    try {
      expect(problems(tmp)).toHaveLength(2);
    } finally {
      fs.rmSync(tmp);
    }
  });
});
