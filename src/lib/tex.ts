import katex from 'katex';
import { html, SafeHtml } from './html-template.js';

/**
 * Titles and abstracts as arXiv serves them: prose with LaTeX in it (`$\alpha$`, `\emph{…}`,
 * `\%`, `` ``quotes'' ``, accents). This module reads that small dialect into nodes and renders
 * them on the server: math through KaTeX (no client script), text macros as HTML, everything else
 * escaped. What KaTeX cannot parse is shown as its source, without the dollar signs (the plain-text
 * fallback), so a bad formula never breaks a page.
 *
 * `texHtml` is the one door for this markup into a view, as `sanitized` is for comments: KaTeX's
 * output is the only string here not built by the escaping `html` template. KaTeX runs with
 * `trust: false` (no \href, \url, \includegraphics, \htmlClass …), and each formula's length and
 * macro expansion are bounded, so a hostile title can neither inject markup nor stall a render.
 */

/** A formula longer than this is shown as its source: real ones are far shorter; this bounds the cost. */
const MAX_MATH_CHARS = 2000;
/** KaTeX's macro expansion limit per formula (its default is 1000): stops \def loops in hostile input. */
const MAX_MACRO_EXPANSIONS = 200;
/** Opening and closing search highlights inside the source (private-use characters, never in real text). */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

type Style = 'em' | 'strong' | 'code' | 'sc' | 'u';

export type TexNode =
  | { kind: 'text'; text: string }
  | { kind: 'math'; tex: string; display: boolean }
  | { kind: 'styled'; style: Style; children: TexNode[] }
  | { kind: 'para' };

const STYLE_COMMANDS: Record<string, Style | null> = {
  emph: 'em',
  textit: 'em',
  textsl: 'em',
  textbf: 'strong',
  texttt: 'code',
  textsc: 'sc',
  underline: 'u',
  // Commands whose argument is shown as plain text.
  textrm: null,
  textsf: null,
  textnormal: null,
  textup: null,
  textmd: null,
  mbox: null,
  text: null,
  footnote: null,
};

/** Old-style declarations ({\\it …}, {\\bf …}) that style the rest of their group. */
const DECLARATIONS: Record<string, Style | null> = {
  it: 'em',
  em: 'em',
  sl: 'em',
  bf: 'strong',
  tt: 'code',
  sc: 'sc',
  rm: null,
  sf: null,
};

/** Text-mode symbols (arguments-free commands). */
const TEXT_SYMBOLS: Record<string, string> = {
  ldots: '…',
  dots: '…',
  textellipsis: '…',
  textendash: '–',
  textemdash: '—',
  textasciitilde: '~',
  textbackslash: '\\',
  textbar: '|',
  textless: '<',
  textgreater: '>',
  textdegree: '°',
  textregistered: '®',
  texttrademark: '™',
  copyright: '©',
  S: '§',
  P: '¶',
  ss: 'ß',
  o: 'ø',
  O: 'Ø',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  aa: 'å',
  AA: 'Å',
  l: 'ł',
  L: 'Ł',
  i: 'ı',
  j: 'ȷ',
  LaTeX: 'LaTeX',
  TeX: 'TeX',
  xspace: '',
  newline: ' ',
  linebreak: ' ',
  par: '\n\n',
  quad: ' ',
  qquad: ' ',
};

/** Accent commands → Unicode combining marks (NFC turns "e" + U+0301 into "é"). */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030C',
  H: '\u030B',
  c: '\u0327',
  k: '\u0328',
  r: '\u030A',
  d: '\u0323',
  b: '\u0331',
};

/** Commands that take one argument and show nothing (references and labels mean nothing here). */
const DROPPED = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnotemark', 'vspace', 'hspace']);

/** Characters that start something in TeX prose (any other character is plain text). */
const SPECIAL = /[$\\{}`'~\-\s]/g;

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/**
 * The end of an inline `$…$` opened at `open`, or -1. Pandoc's rule, so "$20,000 and $30,000" stays
 * text: no space inside either dollar, and no digit right after the closing one, unless the formula
 * does not start with a digit (arXiv writes "$\\sim$2.96" and "128$\\times$128", never "$5$10").
 */
function closingDollar(s: string, open: number): number {
  const first = s[open + 1];
  if (first === undefined || isSpace(first) || first === '$') return -1;
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '\n' && s[i + 1] === '\n') return -1; // math never spans paragraphs
    if (c === '$') {
      if (isSpace(s[i - 1]) || (isDigit(s[i + 1]) && isDigit(first))) return -1;
      return i;
    }
  }
  return -1;
}

/** Index of `close` (e.g. "$$", "\\)") after `from`, skipping escaped characters; -1 if absent. */
function findClose(s: string, from: number, close: string): number {
  for (let i = from; i < s.length; i++) {
    if (s.startsWith(close, i)) return i;
    if (s[i] === '\\') i++;
  }
  return -1;
}

/** Parses TeX-flavoured prose; never throws (anything unknown is kept as text). */
export function parseTex(source: string): TexNode[] {
  const s = source;
  let pos = 0;

  /** A `{…}` group's raw text (for \url), or the next character; moves pos past it. */
  const rawArg = (): string => {
    while (s[pos] === ' ') pos++;
    if (s[pos] !== '{') return s[pos++] ?? '';
    const end = matchingBrace(pos);
    if (end < 0) return s[pos++];
    const t = s.slice(pos + 1, end);
    pos = end + 1;
    return t;
  };
  const matchingBrace = (open: number): number => {
    let depth = 0;
    for (let i = open; i < s.length; i++) {
      if (s[i] === '\\') i++;
      else if (s[i] === '{') depth++;
      else if (s[i] === '}' && --depth === 0) return i;
    }
    return -1;
  };
  /** A command's argument parsed as prose: `{…}` or the next character. */
  const proseArg = (): TexNode[] => {
    while (s[pos] === ' ') pos++;
    if (s[pos] === '{' && matchingBrace(pos) >= 0) {
      pos++;
      return seq(true);
    }
    return s[pos] === undefined ? [] : [{ kind: 'text', text: s[pos++] }];
  };

  function seq(inGroup: boolean): TexNode[] {
    const out: TexNode[] = [];
    let buf = '';
    const text = (t: string) => {
      buf += t;
    };
    const flush = () => {
      if (buf) out.push({ kind: 'text', text: buf });
      buf = '';
    };
    const push = (n: TexNode) => {
      flush();
      out.push(n);
    };
    while (pos < s.length) {
      const c = s[pos];
      if (c === '}' && inGroup) {
        pos++;
        break;
      }
      if (c === '{') {
        if (matchingBrace(pos) < 0) {
          text(c);
          pos++;
          continue;
        }
        pos++;
        const inner = seq(true);
        flush();
        out.push(...inner);
        continue;
      }
      if (c === '$') {
        if (s[pos + 1] === '$') {
          const end = findClose(s, pos + 2, '$$');
          if (end > pos + 2) {
            push({ kind: 'math', tex: s.slice(pos + 2, end), display: true });
            pos = end + 2;
            continue;
          }
          text('$$');
          pos += 2;
          continue;
        }
        const end = closingDollar(s, pos);
        if (end > 0) {
          push({ kind: 'math', tex: s.slice(pos + 1, end), display: false });
          pos = end + 1;
          continue;
        }
        text('$');
        pos++;
        continue;
      }
      if (c === '\\') {
        const n = s[pos + 1];
        if (n === undefined) {
          text('\\');
          pos++;
          continue;
        }
        if (n === '(' || n === '[') {
          const close = n === '(' ? '\\)' : '\\]';
          const end = findClose(s, pos + 2, close);
          if (end > pos + 2) {
            push({ kind: 'math', tex: s.slice(pos + 2, end), display: n === '[' });
            pos = end + 2;
            continue;
          }
        }
        if ('$%&#_{}'.includes(n)) {
          text(n);
          pos += 2;
          continue;
        }
        if (n === '\\' || n === ' ' || n === ',' || n === ';') {
          text(' ');
          pos += 2;
          continue;
        }
        if (n in ACCENTS && !isLetter(n)) {
          pos += 2;
          text(accent(ACCENTS[n], rawArg()));
          continue;
        }
        if (isLetter(n)) {
          let end = pos + 1;
          while (isLetter(s[end])) end++;
          const name = s.slice(pos + 1, end);
          pos = end;
          if (name in ACCENTS && (s[pos] === '{' || s[pos] === ' ')) {
            text(accent(ACCENTS[name], rawArg()));
            continue;
          }
          if (name in DECLARATIONS) {
            // {\it text}: the style covers the rest of the group.
            const style = DECLARATIONS[name];
            while (s[pos] === ' ') pos++;
            const rest = seq(inGroup);
            if (style) push({ kind: 'styled', style, children: rest });
            else {
              flush();
              out.push(...rest);
            }
            flush();
            return out;
          }
          if (name in STYLE_COMMANDS) {
            const style = STYLE_COMMANDS[name];
            const children = proseArg();
            if (style) push({ kind: 'styled', style, children });
            else {
              flush();
              out.push(...children);
            }
            continue;
          }
          if (name === 'url') {
            text(rawArg());
            continue;
          }
          if (name === 'href') {
            rawArg();
            const children = proseArg();
            flush();
            out.push(...children);
            continue;
          }
          if (DROPPED.has(name)) {
            if (s[pos] === '{') rawArg();
            continue;
          }
          if (name in TEXT_SYMBOLS) {
            const sym = TEXT_SYMBOLS[name];
            if (sym === '\n\n') push({ kind: 'para' });
            else text(sym);
            if (s[pos] === '{' && s[pos + 1] === '}')
              pos += 2; // \LaTeX{}
            else if (s[pos] === ' ' && /^[a-z]+$/i.test(name) && sym !== '') pos++; // "\ldots and" eats one space
            continue;
          }
          // An unknown command: kept as written, its argument too, so nothing is lost (the plain-text fallback).
          text(`\\${name}`);
          if (s[pos] === '{' && matchingBrace(pos) > 0) text(`{${rawArg()}}`);
          continue;
        }
        text(c);
        pos++;
        continue;
      }
      if (c === ' ' && !isSpace(s[pos + 1])) {
        text(' '); // the common case: one space between words
        pos++;
        continue;
      }
      if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
        let end = pos;
        while (isSpace(s[end])) end++;
        const run = s.slice(pos, end);
        pos = end;
        if (/\n[^\S\n]*\n/.test(run)) push({ kind: 'para' });
        else text(' ');
        continue;
      }
      if (c === '-' && s[pos + 1] === '-') {
        if (s[pos + 2] === '-') {
          text('—');
          pos += 3;
        } else {
          text('–');
          pos += 2;
        }
        continue;
      }
      if (c === '`' && s[pos + 1] === '`') {
        text('“');
        pos += 2;
        continue;
      }
      if (c === "'" && s[pos + 1] === "'") {
        text('”');
        pos += 2;
        continue;
      }
      if (c === '~' && pos > 0 && !isSpace(s[pos - 1]) && s[pos + 1] !== undefined && !isSpace(s[pos + 1])) {
        text('\u00A0'); // LaTeX's tie ("et~al."); a "~" after a space means "about" and stays
        pos++;
        continue;
      }
      // Plain prose up to the next character that may mean something: appended in one piece.
      SPECIAL.lastIndex = pos + 1;
      const next = SPECIAL.exec(s);
      const end = next ? next.index : s.length;
      text(s.slice(pos, end));
      pos = end;
    }
    flush();
    return out;
  }

  const nodes: TexNode[] = [];
  while (pos < s.length) {
    nodes.push(...seq(false));
    if (pos < s.length && s[pos] === '}') {
      nodes.push({ kind: 'text', text: '}' }); // a stray closing brace is text
      pos++;
    }
  }
  return nodes;
}

function accent(mark: string, base: string): string {
  const letter = base === '\\i' ? 'i' : base === '\\j' ? 'j' : base;
  return `${letter}${mark}`.normalize('NFC');
}

export interface TexHtmlOptions {
  /** Keep paragraph breaks as <p> elements (a paper page); otherwise they become spaces (a card). */
  paragraphs?: boolean;
  /** Cut after this many visible characters (a formula counts its source), ending with "…". */
  maxChars?: number;
  /** Turn MARK_OPEN/MARK_CLOSE into <mark> (search highlights); otherwise they are dropped. */
  marks?: boolean;
}

/** KaTeX's HTML for one formula, or null when it cannot parse it. */
function katexHtml(tex: string, display: boolean): string | null {
  if (tex.length > MAX_MATH_CHARS) return null;
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: true,
      output: 'htmlAndMathml',
      strict: 'ignore',
      trust: false,
      maxExpand: MAX_MACRO_EXPANSIONS,
      maxSize: 10,
    });
  } catch {
    return null;
  }
}

const STRIP_MARKS = /[\uE000\uE001]/g;

function renderText(t: string, marks: boolean): SafeHtml {
  if (!t.includes(MARK_OPEN) && !t.includes(MARK_CLOSE)) return html`${t}`;
  if (!marks) return html`${t.replace(STRIP_MARKS, '')}`;
  // A highlight covers a word, so it opens and closes within one text node; close any left open.
  const parts: SafeHtml[] = [];
  let open = false;
  for (const piece of t.split(/([\uE000\uE001])/)) {
    if (piece === MARK_OPEN) {
      if (!open) parts.push(html`<mark>`);
      open = true;
    } else if (piece === MARK_CLOSE) {
      if (open) parts.push(html`</mark>`);
      open = false;
    } else parts.push(html`${piece}`);
  }
  if (open) parts.push(html`</mark>`);
  return html`${parts}`;
}

function renderMath(n: { tex: string; display: boolean }, block: boolean): SafeHtml {
  const tex = n.tex.replace(STRIP_MARKS, '');
  const out = katexHtml(tex, n.display && block);
  // The one raw string of this module: KaTeX's own output (trust off, bounded input, see above).
  if (out !== null) return new SafeHtml(out);
  return html`<span class="tex-src" title="This formula could not be typeset">${tex.trim()}</span>`;
}

const STYLE_TAGS: Record<Style, (inner: SafeHtml) => SafeHtml> = {
  em: (i) => html`<em>${i}</em>`,
  strong: (i) => html`<strong>${i}</strong>`,
  code: (i) => html`<code>${i}</code>`,
  sc: (i) => html`<span class="sc">${i}</span>`,
  u: (i) => html`<u>${i}</u>`,
};

/** Cuts nodes after `max` visible characters (at a word boundary where it can), adding "…". */
function truncate(nodes: TexNode[], max: number): TexNode[] {
  let left = max;
  let cut = false;
  const walk = (list: TexNode[]): TexNode[] => {
    const out: TexNode[] = [];
    for (const n of list) {
      if (cut) break;
      if (n.kind === 'text') {
        const visible = n.text.replace(STRIP_MARKS, '');
        if (visible.length <= left) {
          left -= visible.length;
          out.push(n);
          continue;
        }
        const head = visible.slice(0, left);
        const space = head.lastIndexOf(' ');
        const kept = (space > head.length / 2 ? head.slice(0, space) : head).trimEnd();
        out.push({ kind: 'text', text: `${kept}…` });
        cut = true;
      } else if (n.kind === 'math') {
        if (n.tex.length > left) {
          out.push({ kind: 'text', text: '…' });
          cut = true;
          break;
        }
        left -= n.tex.length;
        out.push(n);
      } else if (n.kind === 'styled') {
        out.push({ ...n, children: walk(n.children) });
      } else {
        left -= 1;
        out.push(n);
      }
    }
    return out;
  };
  return walk(nodes);
}

/** `block`: display formulas may stand on their own line (a paper page; a card keeps them inline). */
function renderNodes(nodes: TexNode[], marks: boolean, block: boolean): SafeHtml {
  return html`${nodes.map((n) => {
    switch (n.kind) {
      case 'text':
        return renderText(n.text, marks);
      case 'math':
        return renderMath(n, block);
      case 'styled':
        return STYLE_TAGS[n.style](renderNodes(n.children, marks, block));
      default: // a paragraph break inside a one-paragraph rendering
        return html` `;
    }
  })}`;
}

/** Whether a text has anything for the TeX reader to do (most titles do not: they skip parsing). */
function hasTex(s: string): boolean {
  return /[$\\{}~`\n]|--|''/.test(s);
}

/**
 * THE one door for rendered LaTeX into a page: a title or an abstract as HTML, formulas typeset
 * by KaTeX, text macros as tags, all other text escaped.
 *
 * @example
 * texHtml('Sparse $\\alpha$-attention')                  // 'Sparse <span class="katex">…</span>-attention'
 * texHtml(abstract, { paragraphs: true })                 // '<p>…</p><p>…</p>'
 * texHtml(abstract, { maxChars: 480 })                    // a card's teaser, cut at a word, never inside a formula
 */
export function texHtml(source: string, o: TexHtmlOptions = {}): SafeHtml {
  const marks = o.marks ?? false;
  let nodes = hasTex(source) ? parseTex(source) : [{ kind: 'text' as const, text: source }];
  if (o.maxChars !== undefined) nodes = truncate(nodes, o.maxChars);
  if (!o.paragraphs) return renderNodes(nodes, marks, false);
  const paras: TexNode[][] = [[]];
  for (const n of nodes) {
    if (n.kind === 'para') paras.push([]);
    else paras[paras.length - 1].push(n);
  }
  return html`${paras
    .filter((p) => p.some((n) => n.kind !== 'text' || n.text.trim() !== ''))
    .map((p) => html`<p>${renderNodes(p, marks, true)}</p>`)}`;
}

/** Greek letters and common symbols for the plain-text form (page titles, mail subjects, feeds). */
const MATH_SYMBOLS: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'ϑ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'φ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  ell: 'ℓ',
  infty: '∞',
  times: '×',
  cdot: '·',
  pm: '±',
  leq: '≤',
  le: '≤',
  geq: '≥',
  ge: '≥',
  neq: '≠',
  ne: '≠',
  approx: '≈',
  sim: '∼',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  Rightarrow: '⇒',
  in: '∈',
  circ: '∘',
  partial: '∂',
  nabla: '∇',
  sum: '∑',
  prod: '∏',
  int: '∫',
  sqrt: '√',
  ldots: '…',
  cdots: '⋯',
  dots: '…',
  '%': '%',
  '&': '&',
  '#': '#',
  _: '_',
  $: '$',
  ',': ' ',
  ';': ' ',
  '!': '',
  ' ': ' ',
};
const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  n: 'ⁿ',
  i: 'ⁱ',
  '∘': '°',
};
const SUBSCRIPT: Record<string, string> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  '+': '₊',
  '-': '₋',
};

/** A formula as readable plain text: symbols as Unicode, wrappers (\mathbb{R}) as their argument. */
function mathPlain(tex: string): string {
  const t = tex
    .replace(/\\([A-Za-z]+|.)/g, (m, name: string) => MATH_SYMBOLS[name] ?? (/^[A-Za-z]+$/.test(name) ? '' : m))
    .replace(/([\^_])(\{([^{}]*)\}|(.))/g, (m, op: string, _g, group: string | undefined, one: string | undefined) => {
      const arg = group ?? one ?? '';
      const table = op === '^' ? SUPERSCRIPT : SUBSCRIPT;
      const chars = [...arg];
      return chars.every((ch) => ch in table) ? chars.map((ch) => table[ch]).join('') : m.replace(/[{}]/g, '');
    })
    .replace(/[{}]/g, '');
  return t.replace(/\s+/g, ' ').trim();
}

function plainNodes(nodes: TexNode[]): string {
  return nodes
    .map((n) => {
      switch (n.kind) {
        case 'text':
          return n.text;
        case 'math':
          return mathPlain(n.tex);
        case 'styled':
          return plainNodes(n.children);
        default: // a paragraph break
          return '\n\n';
      }
    })
    .join('');
}

/**
 * A title or abstract as plain text (a page's <title>, a description, a mail subject): text macros
 * resolved, formulas as their Unicode approximation ("$\\alpha^2$" → "α²").
 *
 * @example
 * texPlain('\\emph{Fast} $\\alpha$-sparsity') // 'Fast α-sparsity'
 */
export function texPlain(source: string): string {
  if (!hasTex(source)) return source;
  return plainNodes(parseTex(source)).replace(STRIP_MARKS, '');
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * A search snippet (search/highlight.ts: escaped text with <mark> around matches) back as text with
 * MARK_OPEN/MARK_CLOSE, so a card renders its LaTeX and its highlights together; texHtml escapes
 * all of it again, and any other tag is dropped.
 *
 * @example
 * highlightText('<mark>sparse</mark> $\\alpha$ &amp; more') // '\uE000sparse\uE001 $\\alpha$ & more'
 */
export function highlightText(snippet: string): string {
  return snippet
    .replace(STRIP_MARKS, '')
    .replace(/<mark>/g, MARK_OPEN)
    .replace(/<\/mark>/g, MARK_CLOSE)
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]);
}

/** What the TeX reader treats as markup: a marker placed inside one would break it. */
const TEX_TOKEN = /\\[A-Za-z]+|\\.|[$\\{}~`]/g;

/**
 * The source with MARK_OPEN/MARK_CLOSE around each span (a result fact's exact words), for
 * `texHtml(…, { marks: true })`. Markers go only around the plain runs of a span, never inside a
 * command, a brace or a dollar sign, so the LaTeX still parses the same; the parts of a span inside
 * a formula stay unmarked. Spans are found in order (each after the previous one where it can); a
 * span that is not in the source or overlaps one already marked is left out.
 *
 * @example
 * markSpans('up to 1.79x on CPU and $86\\%$ on MMLU', ['1.79x on CPU'])
 * // 'up to \uE0001.79x on CPU\uE001 and $86\\%$ on MMLU'
 */
export function markSpans(source: string, spans: readonly string[]): string {
  const s = source.replace(STRIP_MARKS, '');
  const ranges: Array<[number, number]> = [];
  let cursor = 0;
  for (const span of spans) {
    if (span === '') continue;
    let at = s.indexOf(span, cursor);
    if (at < 0) at = s.indexOf(span);
    if (at < 0) continue;
    const end = at + span.length;
    if (ranges.some(([a, b]) => at < b && a < end)) continue;
    ranges.push([at, end]);
    cursor = end;
  }
  if (ranges.length === 0) return s;
  // Characters that belong to markup (commands, braces, dollars) are never inside a marked run.
  const markup = new Uint8Array(s.length);
  for (const m of s.matchAll(TEX_TOKEN)) markup.fill(1, m.index, m.index + m[0].length);
  const inMark = new Uint8Array(s.length);
  for (const [a, b] of ranges) inMark.fill(1, a, b);
  let out = '';
  let open = false;
  for (let i = 0; i < s.length; i++) {
    const want = inMark[i] === 1 && markup[i] === 0 && s[i] !== '\n';
    if (want !== open) {
      out += want ? MARK_OPEN : MARK_CLOSE;
      open = want;
    }
    out += s[i];
  }
  return open ? out + MARK_CLOSE : out;
}
