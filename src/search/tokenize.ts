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
  // A plain loop, not the generator below: this runs on every word of a million papers.
  const out: string[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) {
    const term = termOf(m[0]);
    if (term !== null) out.push(term);
  }
  return out;
}

export interface TokenSpan {
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
const MAX_WORD_CHARS = 40;
/** Stems of seen words; the vocabulary of a corpus is small, so the cache stays bounded in practice. */
const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 500_000;

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s !== undefined) return s;
  s = LATIN_WORD.test(word) ? stemmer(word) : word;
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(word, s);
  return s;
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
    const term = termOf(m[0]);
    if (term !== null) yield { term, start: m.index, end: m.index + m[0].length };
  }
}
