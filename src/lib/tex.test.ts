import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MARK_CLOSE, MARK_OPEN, parseTex, texHtml, texPlain } from './tex.js';

/** The text a reader sees: KaTeX's MathML copy (screen readers only) and all tags removed. */
function visible(markup: string): string {
  return markup
    .replace(/<span class="katex-mathml">.*?<\/math><\/span>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('texHtml', () => {
  it('renders \\emph and friends as tags, with the rest escaped', () => {
    expect(texHtml('\\emph{Robust} <b>training</b>').value).toBe('<em>Robust</em> &lt;b&gt;training&lt;/b&gt;');
    expect(texHtml('\\textbf{Bold} and \\texttt{code} and \\textsc{DiARC}').value).toBe(
      '<strong>Bold</strong> and <code>code</code> and <span class="sc">DiARC</span>',
    );
    expect(texHtml('{\\it italic words} rest').value).toBe('<em>italic words</em> rest');
  });

  it('typesets $\\alpha$ with KaTeX: no dollar signs, the letter in HTML and MathML', () => {
    const out = texHtml('Sparse $\\alpha$-attention').value;
    expect(out).toMatch(/^Sparse <span class="katex">/);
    expect(out).toContain('<mi>α</mi>');
    expect(out).toContain('<annotation encoding="application/x-tex">\\alpha</annotation>');
    expect(out).toMatch(/-attention$/);
    expect(visible(out)).toBe('Sparse α-attention');
  });

  it('typesets $86\\%$ as 86%', () => {
    const out = texHtml('an accuracy of $86\\%$ on GSM8K').value;
    expect(out).toContain('class="katex"');
    expect(visible(out)).toBe('an accuracy of 86% on GSM8K');
  });

  it('keeps an unbalanced or monetary $ as text', () => {
    expect(texHtml('it costs $5 and more').value).toBe('it costs $5 and more');
    expect(texHtml('from $20,000 to $30,000').value).toBe('from $20,000 to $30,000');
    expect(texHtml('a lone $x in a title').value).toBe('a lone $x in a title');
    expect(texHtml('at $5–$10 per cycle').value).toBe('at $5–$10 per cycle');
    // …but a formula may touch a number, as arXiv writes it.
    expect(visible(texHtml('an error of $\\sim$2.96 at 128$\\times$128').value)).toBe('an error of ∼2.96 at 128×128');
    expect(texHtml('escaped \\$ and 10\\% off').value).toBe('escaped $ and 10% off');
  });

  it('falls back to the formula source, without its dollar signs, when KaTeX cannot parse it', () => {
    const out = texHtml('a $\\frac{a$ b').value;
    expect(out).toBe('a <span class="tex-src" title="This formula could not be typeset">\\frac{a</span> b');
    // An endless macro stops at KaTeX's expansion limit instead of stalling the page.
    expect(texHtml('$\\def\\a{\\a}\\a$').value).toContain('tex-src');
  });

  it('lets no markup through math or text', () => {
    const out = texHtml('x $<script>alert(1)</script>$ y <img src=x onerror=alert(1)>').value;
    expect(out).not.toMatch(/<script|<img/);
    // \href needs trust, which is off: no link comes out, whatever the URL.
    expect(texHtml('$\\href{javascript:alert(1)}{x}$').value).not.toContain('href=');
    expect(texHtml('\\href{javascript:alert(1)}{click}').value).toBe('click');
    expect(texHtml('\\url{https://example.org/a_b}').value).toBe('https://example.org/a_b');
  });

  it('keeps paragraph breaks as paragraphs on a paper page, as spaces on a card', () => {
    const abs = 'First paragraph ends here.\n\nSecond one with $x^2$.';
    expect(texHtml(abs, { paragraphs: true }).value).toMatch(
      /^<p>First paragraph ends here\.<\/p><p>Second one with <span/,
    );
    expect(visible(texHtml(abs).value)).toBe('First paragraph ends here. Second one with x2.');
  });

  it('cuts a teaser at a word, never inside a formula', () => {
    const s = 'We bound the error by $\\mathcal{O}(\\sqrt{n \\log n})$ in all cases considered here.';
    const cut = texHtml(s, { maxChars: 30 }).value;
    expect(visible(cut)).toBe('We bound the error by …');
    expect(cut).not.toContain('$');
    expect(visible(texHtml('one two three four five', { maxChars: 12 }).value)).toBe('one two…');
    expect(texHtml('short', { maxChars: 12 }).value).toBe('short');
  });

  it('turns search marks into <mark>, inside styles too, and drops them in formulas', () => {
    const s = `${MARK_OPEN}sparse${MARK_CLOSE} \\emph{${MARK_OPEN}attention${MARK_CLOSE}} $\\${MARK_OPEN}alpha${MARK_CLOSE}$`;
    const out = texHtml(s, { marks: true }).value;
    expect(out).toMatch(/^<mark>sparse<\/mark> <em><mark>attention<\/mark><\/em> <span class="katex">/);
    expect(out).toContain('<mi>α</mi>');
    expect(texHtml(s).value).toMatch(/^sparse <em>attention<\/em>/);
  });

  it('reads accents, quotes, dashes and ties as LaTeX means them', () => {
    expect(texHtml('Schr\\"odinger, G\\"{o}del, \\\'{e}t\\\'e, \\c{c}a, \\v{S}koda').value).toBe(
      'Schrödinger, Gödel, été, ça, Škoda',
    );
    expect(texHtml("``quoted'' pages 3--5 --- an aside, et~al.").value).toBe(
      '“quoted” pages 3–5 — an aside, et\u00A0al.',
    );
    expect(texHtml('a ~10x speed-up').value).toBe('a ~10x speed-up');
  });

  it('never throws on broken braces or a trailing backslash', () => {
    for (const s of ['weird } and { brace', '\\emph{open', 'ends with \\', '$$ unclosed', '\\(', '{{{']) {
      expect(() => texHtml(s, { paragraphs: true })).not.toThrow();
    }
    expect(texHtml('weird } and { brace').value).toBe('weird } and { brace');
    expect(parseTex('\\unknown{x} y')).toEqual([{ kind: 'text', text: '\\unknown{x} y' }]);
  });
});

describe('texPlain', () => {
  it('writes formulas as Unicode for page titles and mail', () => {
    expect(texPlain('\\emph{Fast} $\\alpha$-sparsity')).toBe('Fast α-sparsity');
    expect(texPlain('S$^2$COPE and PM$_{2.5}$ at 360$^\\circ$')).toBe('S²COPE and PM_2.5 at 360°');
    expect(texPlain('Plain title')).toBe('Plain title');
  });
});

describe('the demo set, as arXiv writes it', () => {
  /** A pair of dollars around something that is not an amount ("$5–$10" is money): LaTeX left unrendered. */
  const UNRENDERED = /\$[^$\s\d][^$]*?[^$\s]\$/;
  const dir = path.resolve('demo/arxiv-listings');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl.gz')) : [];
  it.skipIf(files.length === 0)('shows no raw $…$ in any title, and almost none in abstracts', () => {
    let titles = 0;
    let withMath = 0;
    const left: string[] = [];
    const leftInAbstracts: string[] = [];
    for (const f of files) {
      const lines = zlib
        .gunzipSync(fs.readFileSync(path.join(dir, f)))
        .toString('utf8')
        .split('\n');
      for (const line of lines) {
        if (!line.trim()) continue;
        const rec = JSON.parse(line) as { title: string; summary: string };
        titles++;
        const out = texHtml(rec.title).value;
        if (out.includes('class="katex"')) withMath++;
        if (UNRENDERED.test(visible(out))) left.push(rec.title);
        if (rec.summary.includes('$')) {
          const abs = visible(texHtml(rec.summary, { paragraphs: true }).value);
          if (UNRENDERED.test(abs)) leftInAbstracts.push(abs);
        }
      }
    }
    expect(titles).toBeGreaterThan(1000);
    expect(withMath).toBeGreaterThan(10);
    expect(left).toEqual([]);
    expect(leftInAbstracts.slice(0, 8)).toEqual([]);
  });
});
