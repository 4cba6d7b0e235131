import { seededRandom } from '../src/lib/seeded-random.js';
import { trainLinearSvm } from '../src/recs/linear-svm.js';
import { type SparseVector, sparseDot } from '../src/recs/tfidf.js';
import type { Episode, RecsMethod } from './recs-protocol.js';

/** Candidates by descending score; ties in the given order (callers pass a shuffled order for ties). */
export function byScore(candidates: readonly number[], score: (p: number) => number): number[] {
  const s = candidates.map((p, i) => ({ p, v: score(p), i }));
  s.sort((a, b) => b.v - a.v || a.i - b.i);
  return s.map((x) => x.p);
}

function shuffled(xs: readonly number[], rnd: () => number): number[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Random order (seeded: the same figures on every run). */
export function randomMethod(seed: number): RecsMethod {
  const rnd = seededRandom(seed);
  return { name: 'random', rank: (e) => shuffled(e.candidates, rnd) };
}

/**
 * The reader's category prior: a candidate scores the share of the history listed in its primary
 * category (arXiv's first category); ties (most candidates share a few big categories) in a
 * seeded random order.
 */
export function categoryPriorMethod(categories: readonly (readonly string[])[], seed: number): RecsMethod {
  const rnd = seededRandom(seed);
  return {
    name: 'category-prior',
    rank(e) {
      const counts = new Map<string, number>();
      for (const p of e.history) {
        const c = categories[p][0];
        if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      return byScore(shuffled(e.candidates, rnd), (p) => (counts.get(categories[p][0] ?? '') ?? 0) / e.history.length);
    },
  };
}

/** Cosine with the mean of the history's TF-IDF rows (rows are unit length, so a dot product). */
export function centroidMethod(rows: readonly SparseVector[], features: number): RecsMethod {
  return {
    name: 'centroid',
    rank(e) {
      const c = new Float64Array(features);
      for (const p of e.history) {
        const x = rows[p];
        for (let j = 0; j < x.idx.length; j++) c[x.idx[j]] += x.val[j];
      }
      return byScore(e.candidates, (p) => sparseDot(rows[p], c));
    },
  };
}

/**
 * arxiv-sanity-lite's recommendation: a linear SVM (C = 0.01, balanced class weights) trained on
 * the whole corpus, the history as positives and every other paper as negatives, scoring the
 * candidates. A reader's successive days differ by a few positives, so each day warm-starts from
 * the reader's previous solution (same optimum, fewer passes).
 */
export function svmMethod(rows: readonly SparseVector[], features: number): RecsMethod & { iterations: number[] } {
  let lastReader = '';
  let alpha: Float64Array | undefined;
  const iterations: number[] = [];
  return {
    name: 'svm',
    iterations,
    rank(e: Episode) {
      if (e.reader !== lastReader) alpha = undefined;
      lastReader = e.reader;
      const labels = new Int8Array(rows.length).fill(-1);
      for (const p of e.history) labels[p] = 1;
      const m = trainLinearSvm(rows, labels, features, { c: 0.01, balanced: true, alpha });
      alpha = m.alpha;
      iterations.push(m.iterations);
      return byScore(e.candidates, (p) => sparseDot(rows[p], m.w) + m.bias);
    },
  };
}
