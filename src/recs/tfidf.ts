import { STOP_WORDS } from '../search/stop-words.js';

/**
 * TF-IDF features as arxiv-sanity-lite computes them with scikit-learn's `TfidfVectorizer`
 * (`compute.py`): lowercase, accents stripped, words of `[a-zA-Z_][a-zA-Z0-9_]+`, English stop words
 * dropped, unigrams and bigrams, at most `maxFeatures` terms (the most frequent in the corpus among
 * those within the document-frequency bounds), sublinear tf (1 + ln tf), smooth idf
 * (ln((1 + n) / (1 + df)) + 1), each row L2-normalised. The stop-word list is the project's SMART
 * list (src/search/stop-words.ts) rather than scikit-learn's: the two differ in a few hundred rare
 * function words, which `maxDf` removes anyway.
 *
 * @example
 * const v = TfidfVectorizer.fit(texts, { maxFeatures: 20_000, maxDf: 0.1, minDf: 5 });
 * const row = v.transform('Speculative decoding for large language models'); // sparse, unit length
 */
export interface TfidfOptions {
  /** Most terms kept, by corpus frequency (arxiv-sanity-lite: 20,000). */
  maxFeatures: number;
  /** Terms in more than this share of documents are dropped (arxiv-sanity-lite: 0.1). */
  maxDf: number;
  /** Terms in fewer than this many documents are dropped (arxiv-sanity-lite: 5). */
  minDf: number;
}

export const ARXIV_SANITY_TFIDF: TfidfOptions = { maxFeatures: 20_000, maxDf: 0.1, minDf: 5 };

/** A sparse row: sorted feature indices and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/** Terms looked at between two yields of `fitSteps`. */
const STEP_TERMS = 20_000;

const WORD = /\b[a-z_][a-z0-9_]+\b/g;
const COMBINING = /[\u0300-\u036f]/g;

/** The words of a text as the vectorizer sees them, stop words dropped. */
export function tfidfWords(text: string): string[] {
  const out: string[] = [];
  const t = text.normalize('NFKD').replace(COMBINING, '').toLowerCase();
  WORD.lastIndex = 0;
  for (let m = WORD.exec(t); m !== null; m = WORD.exec(t)) if (!STOP_WORDS.has(m[0])) out.push(m[0]);
  return out;
}

/** Unigrams and the bigrams of adjacent kept words (scikit-learn forms bigrams after stop words). */
function ngrams(words: string[]): string[] {
  const out = words.slice();
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export class TfidfVectorizer {
  private constructor(
    /** Term → feature index. */
    readonly vocabulary: ReadonlyMap<string, number>,
    /** Feature index → term. */
    readonly terms: readonly string[],
    readonly idf: Float32Array,
  ) {}

  get features(): number {
    return this.terms.length;
  }

  static fit(texts: Iterable<string>, opts: TfidfOptions): TfidfVectorizer {
    const steps = TfidfVectorizer.fitSteps(texts, opts);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * `fit` as a generator that yields after every document and every few thousand terms, so a
   * caller can spread a fit over many short turns of the event loop (services/recs-candidates.ts
   * refits in the background that way: no request waits for it). The same result as `fit`.
   */
  static *fitSteps(texts: Iterable<string>, opts: TfidfOptions): Generator<void, TfidfVectorizer, void> {
    // Count document and corpus frequencies of every n-gram. Bigrams are the bulk (millions of
    // distinct ones on 75k abstracts), so they are counted under numeric keys built from word ids
    // rather than as strings: a quarter of the memory.
    const wordIds = new Map<string, number>();
    const words: string[] = [];
    const df = new Map<number, number>();
    const tf = new Map<number, number>();
    let n = 0;
    const BIGRAM_BASE = 2 ** 24;
    for (const text of texts) {
      n++;
      const ws = tfidfWords(text);
      const ids = ws.map((w) => {
        let id = wordIds.get(w);
        if (id === undefined) {
          id = words.length;
          words.push(w);
          wordIds.set(w, id);
        }
        return id;
      });
      const keys: number[] = ids.map((id) => id + 1);
      for (let i = 0; i + 1 < ids.length; i++) keys.push((ids[i] + 1) * BIGRAM_BASE + ids[i + 1] + 1);
      for (const k of keys) tf.set(k, (tf.get(k) ?? 0) + 1);
      for (const k of new Set(keys)) df.set(k, (df.get(k) ?? 0) + 1);
      yield;
    }
    const maxDocs = opts.maxDf * n;
    const keptKey: number[] = [];
    const keptTf: number[] = [];
    const tfCount = new Map<number, number>();
    let seen = 0;
    for (const [k, d] of df) {
      if (d >= opts.minDf && d <= maxDocs) {
        const f = tf.get(k)!;
        keptKey.push(k);
        keptTf.push(f);
        tfCount.set(f, (tfCount.get(f) ?? 0) + 1);
      }
      if (++seen % STEP_TERMS === 0) yield;
    }
    const keyTerm = (k: number) =>
      k < BIGRAM_BASE ? words[k - 1] : `${words[Math.floor(k / BIGRAM_BASE) - 1]} ${words[(k % BIGRAM_BASE) - 1]}`;
    // The maxFeatures most frequent; ties by the term, so the choice is the same on every run. Only
    // the terms tied at the cut are compared by name (sorting every kept term by frequency, then
    // name, built two strings per comparison among hundreds of thousands of tied rare bigrams).
    let cut = 0;
    if (keptKey.length > opts.maxFeatures) {
      let above = 0;
      for (const f of [...tfCount.keys()].sort((a, b) => b - a)) {
        above += tfCount.get(f)!;
        if (above >= opts.maxFeatures) {
          cut = f;
          break;
        }
      }
    }
    const chosenKeys: number[] = [];
    const tied: number[] = [];
    for (let i = 0; i < keptKey.length; i++) {
      if (keptTf[i] > cut) chosenKeys.push(keptKey[i]);
      else if (keptTf[i] === cut) tied.push(keptKey[i]);
    }
    const tiedTerms = tied.map((k) => ({ k, term: keyTerm(k) }));
    tiedTerms.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    for (const t of tiedTerms.slice(0, opts.maxFeatures - chosenKeys.length)) chosenKeys.push(t.k);
    yield;
    const chosen = chosenKeys
      .map((k) => ({ term: keyTerm(k), df: df.get(k)! }))
      .sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const vocabulary = new Map<string, number>();
    const idf = new Float32Array(chosen.length);
    chosen.forEach((c, i) => {
      vocabulary.set(c.term, i);
      idf[i] = Math.log((1 + n) / (1 + c.df)) + 1;
    });
    return new TfidfVectorizer(
      vocabulary,
      chosen.map((c) => c.term),
      idf,
    );
  }

  /** One text → its L2-normalised sparse row (empty when no word is in the vocabulary). */
  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const g of ngrams(tfidfWords(text))) {
      const i = this.vocabulary.get(g);
      if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const val = new Float32Array(idx.length);
    let norm = 0;
    for (let j = 0; j < idx.length; j++) {
      const v = (1 + Math.log(counts.get(idx[j])!)) * this.idf[idx[j]];
      val[j] = v;
      norm += v * v;
    }
    if (norm > 0) {
      const s = 1 / Math.sqrt(norm);
      for (let j = 0; j < val.length; j++) val[j] *= s;
    }
    return { idx, val };
  }
}

/** Dot product of a sparse row with a dense vector. */
export function sparseDot(x: SparseVector, w: Float32Array | Float64Array): number {
  let s = 0;
  for (let j = 0; j < x.idx.length; j++) s += x.val[j] * w[x.idx[j]];
  return s;
}

/**
 * Dot product of a short sparse row (a saved search: a few words) with a long one (a paper: a few
 * hundred terms): each of the short row's terms is found by binary search, so the cost is the short
 * row's length times log of the long one's, not the sum of both.
 */
export function sparseCosineFew(short: SparseVector, long: SparseVector): number {
  let s = 0;
  let lo = 0;
  for (let i = 0; i < short.idx.length; i++) {
    const t = short.idx[i];
    let hi = long.idx.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (long.idx[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    if (lo < long.idx.length && long.idx[lo] === t) s += short.val[i] * long.val[lo];
  }
  return s;
}
