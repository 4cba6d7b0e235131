/**
 * Abstracts arrive as arXiv serves them: LaTeX (`$86\%$`, `2.65$\times$`, `\emph{}`), line breaks
 * and double spaces. The extractor reads a plain form of the text; every character of it remembers
 * where it came from, so a span found in the plain form is cut from the original exactly (the
 * guideline's spans are substrings of the abstract as written).
 *
 * @example
 * const n = normalizeAbstract('up to $10\\times$ faster');
 * n.text // 'up to 10× faster'
 * originalSlice(n, 'up to $10\\times$ faster', 6, 9) // '$10\\times$'
 */
export interface NormalizedText {
  /** The plain text. */
  text: string;
  /** `at[i]` is the index in the original where `text[i]` came from; `at[text.length]` is its length. */
  at: number[];
  /** `atEnd[i]` is the index just past the original markup `text[i]` came from. */
  atEnd: number[];
}

/** LaTeX and typography rewritten to the plain form; longest first at each position. */
const REWRITES: Array<[RegExp, string]> = [
  [/^\s+/, ' '],
  [/^\\%/, '%'],
  [/^\\\$/, '$'],
  // A command ends at the first non-letter: `\pm3.5` is ± then 3.5 (`\b` would not end it there).
  [/^\\times(?![A-Za-z])/, '×'],
  [/^\\pm(?![A-Za-z])/, '±'],
  [/^\\(?:sim|approx)(?![A-Za-z])/, '~'],
  [/^\\(?:textbf|textit|emph|mathrm|mathbf|text|texttt|textsc|underline|mathit|mathsf)\s*\{/, ''],
  // Superscripts and subscripts: citation marks (`$^{1-3}$`) and indices, never a result.
  [/^[\^_]\{[^{}]{0,40}\}/, ' '],
  [/^[\^_][0-9A-Za-z]/, ' '],
  [/^\\[,;: ]/, ' '],
  [/^\\\\/, ' '],
  [/^\\[A-Za-z]+/, ''],
  [/^[{}$]/, ''],
  [/^[–—−‐‑]/, '-'],
  [/^(?:~|\u00a0)/, ' '],
  [/^\s+/, ' '],
];

/** Where markup or whitespace may start: everything between is copied as it is. */
const SPECIAL = /[\\${}^_~\t\n\r\f\v–—−‐‑\u00a0]| {2,}/g;

export function normalizeAbstract(original: string): NormalizedText {
  const parts: string[] = [];
  const at: number[] = [];
  const atEnd: number[] = [];
  let lastChar = '';
  let i = 0;
  const copy = (to: number) => {
    // After removed markup, "the $\\alpha$ value" must not leave two spaces.
    if (lastChar === ' ' && original[i] === ' ') i++;
    if (to <= i) return;
    parts.push(original.slice(i, to));
    for (let k = i; k < to; k++) {
      at.push(k);
      atEnd.push(k + 1);
    }
    lastChar = original[to - 1];
    i = to;
  };
  SPECIAL.lastIndex = 0;
  for (let m = SPECIAL.exec(original); m !== null; m = SPECIAL.exec(original)) {
    if (m.index < i) {
      SPECIAL.lastIndex = i;
      continue;
    }
    copy(m.index);
    const rest = original.slice(i, i + 64);
    let matched = false;
    for (const [re, rep] of REWRITES) {
      const r = re.exec(rest);
      if (!r) continue;
      matched = true;
      // A single space stands for any run of whitespace or removed markup between words.
      if (rep === ' ') {
        if (at.length > 0 && lastChar !== ' ') {
          parts.push(' ');
          at.push(i);
          atEnd.push(i + r[0].length);
          lastChar = ' ';
        }
      } else if (rep.length > 0) {
        parts.push(rep);
        for (let k = 0; k < rep.length; k++) {
          at.push(i);
          atEnd.push(i + r[0].length);
        }
        lastChar = rep[rep.length - 1];
      }
      i += r[0].length;
      break;
    }
    if (!matched) copy(i + 1);
    SPECIAL.lastIndex = i;
  }
  copy(original.length);
  at.push(original.length);
  return { text: parts.join(''), at, atEnd };
}

/**
 * The original text behind `text.slice(start, end)`, widened to whole formulas: a span that starts
 * or ends inside `$…$` takes the formula in, so `$86\%$ of` keeps both dollars and `748` cut from
 * `$748\times$` becomes `$748\times$`. A span then reads as the abstract does, is a substring of
 * it, and renders as math (lib/tex.ts) instead of showing raw TeX.
 */
export function originalSlice(n: NormalizedText, original: string, start: number, end: number): string {
  if (end <= start) return '';
  let from = n.at[start];
  let to = n.atEnd[end - 1];
  while (to > from && /\s/.test(original[to - 1])) to--;
  for (const [open, close] of mathRanges(original)) {
    if (open >= to) break;
    if (from > open && from < close) from = open;
    if (to > open && to < close) to = close;
  }
  return original.slice(from, to);
}

/** `[start, end)` of each `$…$` or `$$…$$` formula, delimiters included; an unclosed one opens none. */
function mathRanges(original: string): Array<[number, number]> {
  const delimiters = [...original.matchAll(/(?<!\\)\$\$?/g)];
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i + 1 < delimiters.length; i += 2) {
    const close = delimiters[i + 1];
    ranges.push([delimiters[i].index ?? 0, (close.index ?? 0) + close[0].length]);
  }
  return ranges;
}
