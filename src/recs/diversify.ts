import type { Scored } from './model.js';
import type { SparseVector } from './tfidf.js';

/**
 * Maximal marginal relevance (Carbonell & Goldstein 1998): pick, one at a time, the paper with the
 * best mix of its own score and its distance from those already picked, so a page is not ten
 * papers on one topic. Scores are min-max scaled over the pool so the two parts are comparable.
 *
 * @example
 * diversify(scoreCandidates(profile, candidates, today), 50) // the page, in order
 */
const MMR_LAMBDA = 0.8;
/**
 * Only the best POOL_PER_PICK × k (at least MIN_POOL) are considered: a paper further down could
 * only make the page by being unlike everything above it, and each pool member costs a similarity
 * per pick (k = 30: 150 papers, a fifth of the time of the 500 it was).
 */
const POOL_PER_PICK = 5;
const MIN_POOL = 100;

/** How many of the ranked list `diversify` looks at for a page of k. */
export function poolSize(k: number): number {
  return Math.max(MIN_POOL, POOL_PER_PICK * k);
}

/**
 * `stop`: picking stops once `enough` papers not in `skip` are picked — a digest asks for 5 papers
 * past the ones it already lists, so it diversifies a page of 5 + those; the picks are greedy, in
 * order, so the page's first `enough` papers outside `skip` are the same as without stopping.
 *
 * Lazily: a pool member's similarity to the papers picked so far is computed only when it could
 * still be the next pick. The pool is ranked best first and a member's value is at most its
 * scaled score (its similarity is ≥ 0), so the scan for the next pick stops at the first member
 * whose scaled score is below the best value found. Each similarity is the same sum in the same
 * order as computing them all, so the page is the same; the digests' profile showed the eager
 * version (every member against every pick, through term lists built per reader) as a section's
 * largest cost after the text similarities.
 */
export function diversify(
  ranked: readonly Scored[],
  k: number,
  lambda = MMR_LAMBDA,
  stop?: { skip: ReadonlySet<number>; enough: number },
): Scored[] {
  const pool = ranked.slice(0, poolSize(k));
  if (pool.length <= 1) return pool.slice(0, k);
  const hi = pool[0].score;
  const lo = pool[pool.length - 1].score;
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const maxSim = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  /** How many of the picks each member's maxSim has been compared with. */
  const compared = new Int32Array(pool.length);
  const picks: SparseVector[] = [];
  const out: Scored[] = [];
  let wanted = 0;
  while (out.length < k && out.length < pool.length) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const bound = lambda * (pool[i].score - lo) * scale;
      if (bound < bestValue) break; // ranked: no member further down can beat the best
      for (; compared[i] < picks.length; compared[i]++) {
        const c = sortedDot(picks[compared[i]], pool[i].paper.vec);
        if (c > maxSim[i]) maxSim[i] = c;
      }
      const v = bound - (1 - lambda) * maxSim[i];
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    taken[best] = 1;
    const picked = pool[best];
    out.push(picked);
    picks.push(picked.paper.vec);
    if (stop && !stop.skip.has(picked.paper.id) && ++wanted >= stop.enough) break;
  }
  return out;
}

/** a · b for two sparse rows with ascending terms, summed in a's term order. */
function sortedDot(a: SparseVector, b: SparseVector): number {
  let s = 0;
  let i = 0;
  let j = 0;
  const ai = a.idx;
  const bi = b.idx;
  while (i < ai.length && j < bi.length) {
    const x = ai[i];
    const y = bi[j];
    if (x === y) s += a.val[i++] * b.val[j++];
    else if (x < y) i++;
    else j++;
  }
  return s;
}
