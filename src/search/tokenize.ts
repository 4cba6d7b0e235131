import { stemmer } from 'stemmer';
import { STOP_WORDS } from './stop-words.js';

/**
 * Text → index terms: lowercase, runs of Unicode letters and digits, SMART/CACM stop words
 * dropped, Porter stemming of Latin words ("networks" and "networking" → "network").
 * CJK ideographs carry no spaces between words, so each becomes its own term: a Chinese query
 * then matches the characters it shares with a title rather than nothing.
 *
 * @example
 * tokenize('Training Large Language Models') // ['train', 'larg', 'languag', 'model']
 */
export function tokenize(text: string): string[] {
  // A plain loop, not the generator below: this runs on every word of a query or a training sample.
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const term = cachedTermOf(m[0]);
    if (term !== null) out.push(term);
  }
  return out;
}

/** Within ASCII, the WORD pattern below is exactly letters and digits (WordTable scans by this). */
export function isAsciiWordChar(c: number): boolean {
  const lower = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x7a);
}

interface TokenSpan {
  term: string;
  /** Character offsets of the word in the text, for highlighting. */
  start: number;
  end: number;
}

/** A word: letters and digits (with combining marks), or one CJK ideograph / kana / hangul syllable. */
const WORD = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}\p{M}]+/gu;
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const LATIN_WORD = /^[a-z]+$/;
/** Words longer than this are noise (base64, hashes, runaway LaTeX); they are not indexed. */
export const MAX_WORD_CHARS = 40;
const ASCII = /^[\x00-\x7f]*$/;

export function isAsciiText(text: string): boolean {
  return ASCII.test(text);
}

/** The words of a text as written (any script), before stop words and stemming. */
export function rawWords(text: string): string[] {
  return text.match(WORD) ?? [];
}
/**
 * Terms of words as written (null for words not indexed). A corpus's vocabulary is small next to
 * its length, so nearly every word is a hit; the cache is emptied when it fills, to stay bounded.
 */
const termCache = new Map<string, string | null>();
const TERM_CACHE_MAX = 500_000;

function cachedTermOf(word: string): string | null {
  let term = termCache.get(word);
  if (term !== undefined) return term;
  term = termOf(word);
  if (termCache.size >= TERM_CACHE_MAX) termCache.clear();
  termCache.set(word, term);
  return term;
}

function stem(word: string): string {
  return LATIN_WORD.test(word) ? stemmer(word) : word;
}

/** Normalise one word to its index term, or null for a stop word, a lone letter or noise. */
export function termOf(word: string): string | null {
  if (word.length > MAX_WORD_CHARS) return null;
  const w = word.toLowerCase();
  if (w.length === 1 && !CJK.test(w) && !(w >= '0' && w <= '9')) return null;
  if (STOP_WORDS.has(w)) return null;
  return stem(w);
}

export function* tokenSpans(text: string): Generator<TokenSpan> {
  for (const m of text.matchAll(new RegExp(WORD))) {
    const term = cachedTermOf(m[0]);
    if (term !== null) yield { term, start: m.index, end: m.index + m[0].length };
  }
}
