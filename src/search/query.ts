/**
 * The search query language, parsed by one pure function.
 *
 *   graph neural networks          words (ranked, any may match; more matches rank higher)
 *   "graph neural network"         an exact phrase (its words must all appear, in that order)
 *   -survey  -"large language"     excluded words (a paper containing any of them is dropped)
 *   author:hinton author:"Yann LeCun"   every named author must be on the paper
 *   cat:cs.CL                      arXiv category (any of the paper's categories)
 *   org:apple                      organisation (its short name, as on the badge)
 *   after:2024-05  before:2024-12-31   publication date bounds, inclusive; YYYY, YYYY-MM or YYYY-MM-DD
 *   has:code                       papers with a code repository
 *   has:results                    papers whose abstract states a result fact (src/facts/)
 *   speedup:>2  reduction:>=50  score:>90  improvement:5   a fact of that kind, its value compared
 *   kind:reduction                 a fact of that kind
 *   metric:"kv cache"  setting:gpu a fact whose metric (setting) contains the words
 *   (the fact terms of one query describe one fact: speedup:>2 setting:gpu is a GPU speedup over 2×)
 *
 * Malformed pieces never fail the query: they are read as plain words and a note says so.
 *
 * @example
 * parseQuery('diffusion cat:cs.CV after:2024 -survey')
 * // { words: ['diffusion'], phrases: [], excluded: ['survey'],
 * //   filters: { authors: [], category: 'cs.CV', after: '2024-01-01' }, notes: [] }
 */
export interface QueryFilters {
  /** Author names (or parts of names); each must match one of the paper's authors. */
  authors: string[];
  category?: string;
  org?: string;
  /** Inclusive YYYY-MM-DD bounds. */
  after?: string;
  before?: string;
  hasCode?: boolean;
  /** has:results: at least one result fact. */
  hasResults?: boolean;
  /** The fact terms (speedup:>2, kind:, metric:, setting:): one fact must meet them all. */
  fact?: FactCondition;
  /**
   * Papers allowed by conditions the index cannot test itself (the fact terms, resolved by the
   * search service from the database). Never parsed from the query.
   */
  paperIds?: ReadonlySet<number>;
}

/** Fact kinds, as in src/facts/fact.ts (search stays free of other rooms). */
const FACT_KIND_NAMES = ['speedup', 'reduction', 'improvement', 'score', 'scale'] as const;
export type FactKindName = (typeof FACT_KIND_NAMES)[number];

export interface FactCondition {
  kind?: FactKindName;
  /** Compare the fact's value (a range's upper end for > and >=). */
  compare?: { op: '>' | '>=' | '<' | '<=' | '='; value: number };
  /** Lower-case words the fact's metric (setting) must contain. */
  metric?: string;
  setting?: string;
}

export interface ParsedQuery {
  /** Free words, as typed (the engine tokenises them). */
  words: string[];
  /** Exact phrases, as typed. */
  phrases: string[];
  /** Excluded words, as typed. */
  excluded: string[];
  filters: QueryFilters;
  /** How malformed parts were understood, for the reader. */
  notes: string[];
}

/** Longer queries are cut: nobody types more, and the cost of a query grows with its words. */
const MAX_QUERY_CHARS = 1000;
/** Words, phrases and exclusions beyond this many are ignored, for the same reason. */
const MAX_QUERY_PARTS = 32;

const CATEGORY = /^[a-z][a-z-]*(\.[a-z][a-z-]*)?$/i;
const ORG = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;
const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
/** A fact comparison: ">2", ">=1.5x", "<10%", "7B" (a bare number means "at least"). */
const FACT_COMPARE = /^(>=|<=|>|<|=)?(\d+(?:\.\d+)?)(k|m|b|t)?(?:x|×|%|pp|points)?$/i;
const SCALE_SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 };

interface Piece {
  text: string;
  quoted: boolean;
  /** The operator before a colon (lowercase), if any. */
  op?: string;
  negated: boolean;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** YYYY, YYYY-MM or YYYY-MM-DD → the first (or last) day it covers, or null when not a real date. */
export function parseDateBound(text: string, end: 'first' | 'last'): string | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : end === 'first' ? 1 : 12;
  if (month < 1 || month > 12) return null;
  const maxDay = daysInMonth(year, month);
  const day = m[3] ? Number(m[3]) : end === 'first' ? 1 : maxDay;
  if (day < 1 || day > maxDay) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Split into pieces: quoted runs, op:"quoted value", and bare runs of non-space characters. */
function splitPieces(q: string, notes: string[]): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < q.length) {
    while (i < q.length && /\s/.test(q[i])) i++;
    if (i >= q.length) break;
    let negated = false;
    if (q[i] === '-' && i + 1 < q.length && !/[\s-]/.test(q[i + 1])) {
      negated = true;
      i++;
    }
    let op: string | undefined;
    const opMatch = /^([a-zA-Z]+):(?=\S)/.exec(q.slice(i, i + 20));
    if (opMatch) {
      op = opMatch[1].toLowerCase();
      i += opMatch[0].length;
    }
    if (q[i] === '"') {
      const close = q.indexOf('"', i + 1);
      if (close < 0) {
        notes.push('An opening quote has no closing quote: the rest was searched as plain words.');
        const rest = q.slice(i + 1);
        if (op) pieces.push({ text: `${op}:`, quoted: false, negated: false });
        for (const w of rest.split(/\s+/)) if (w) pieces.push({ text: w, quoted: false, negated: false });
        break;
      }
      pieces.push({ text: q.slice(i + 1, close), quoted: true, op, negated });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < q.length && !/\s/.test(q[j])) j++;
    pieces.push({ text: q.slice(i, j), quoted: false, op, negated });
    i = j;
  }
  return pieces;
}

export function parseQuery(input: string): ParsedQuery {
  const notes: string[] = [];
  let q = typeof input === 'string' ? input : '';
  if (q.length > MAX_QUERY_CHARS) {
    q = q.slice(0, MAX_QUERY_CHARS);
    notes.push(`The query was cut to its first ${MAX_QUERY_CHARS} characters.`);
  }
  // Control characters and Unicode "smart" quotes: normalise so the operators are found.
  q = q.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"');
  const out: ParsedQuery = { words: [], phrases: [], excluded: [], filters: { authors: [] }, notes };
  const plain = (p: Piece) => {
    const text = p.op ? `${p.op} ${p.text}` : p.text;
    for (const w of text.split(/\s+/)) if (w) out.words.push(w);
  };
  let parts = 0;
  for (const p of splitPieces(q, notes)) {
    if (++parts > MAX_QUERY_PARTS) {
      notes.push(`Only the first ${MAX_QUERY_PARTS} parts of the query were used.`);
      break;
    }
    const value = p.text.trim();
    if (value === '') continue;
    if (p.op === undefined) {
      if (p.negated) out.excluded.push(...value.split(/\s+/));
      else if (p.quoted) out.phrases.push(value);
      else out.words.push(value);
      continue;
    }
    if (p.negated) {
      notes.push(`"-${p.op}:" is not supported: "${p.op}:${value}" was searched as words.`);
      plain(p);
      continue;
    }
    switch (p.op) {
      case 'author':
        out.filters.authors.push(value);
        break;
      case 'cat':
      case 'category':
        if (CATEGORY.test(value)) out.filters.category = value;
        else {
          notes.push(`"${value}" is not an arXiv category (like cs.CL): searched as words.`);
          plain(p);
        }
        break;
      case 'org':
        if (ORG.test(value)) out.filters.org = value.toLowerCase();
        else {
          notes.push(`"${value}" is not an organisation name: searched as words.`);
          plain(p);
        }
        break;
      case 'after':
      case 'before': {
        const date = parseDateBound(value, p.op === 'after' ? 'first' : 'last');
        if (date) out.filters[p.op] = date;
        else {
          notes.push(`${p.op}: needs a date like 2024, 2024-05 or 2024-05-31 (got "${value}"): searched as words.`);
          plain(p);
        }
        break;
      }
      case 'has':
        if (value.toLowerCase() === 'code') out.filters.hasCode = true;
        else if (value.toLowerCase() === 'results') out.filters.hasResults = true;
        else {
          notes.push(`has: only knows "code" and "results" (got "${value}"): searched as words.`);
          plain(p);
        }
        break;
      case 'kind':
        if ((FACT_KIND_NAMES as readonly string[]).includes(value.toLowerCase()))
          out.filters.fact = { ...out.filters.fact, kind: value.toLowerCase() as FactKindName };
        else {
          notes.push(`kind: is one of ${FACT_KIND_NAMES.join(', ')} (got "${value}"): searched as words.`);
          plain(p);
        }
        break;
      case 'metric':
      case 'setting':
        out.filters.fact = { ...out.filters.fact, [p.op]: value.toLowerCase().replace(/\s+/g, ' ') };
        break;
      case 'speedup':
      case 'reduction':
      case 'improvement':
      case 'score':
      case 'scale': {
        const c = FACT_COMPARE.exec(value);
        if (c) {
          const op = (c[1] || '>=') as NonNullable<FactCondition['compare']>['op'];
          const n = Number(c[2]) * (c[3] ? SCALE_SUFFIX[c[3].toUpperCase()] : 1);
          out.filters.fact = { ...out.filters.fact, kind: p.op, compare: { op, value: n } };
        } else {
          notes.push(`${p.op}: needs a number like >2, >=50 or 1.5x (got "${value}"): searched as words.`);
          plain(p);
        }
        break;
      }
      default:
        // Not an operator ("re:invent", "BERT:"): the words as typed.
        plain(p);
    }
  }
  if (out.filters.after && out.filters.before && out.filters.after > out.filters.before) {
    notes.push(`after:${out.filters.after} is later than before:${out.filters.before}: no paper can match.`);
  }
  return out;
}
