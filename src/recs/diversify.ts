import type { Scored } from './model.js';

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
 * `termScratch`: zeros at least as long as the vocabulary (CandidateMatrix work.termPtr), used for
 * the pool's term lists and left zeroed; without it one is allocated (a large typed array per call
 * showed in the digests' profile).
 */
export function diversify(
  ranked: readonly Scored[],
  k: number,
  lambda = MMR_LAMBDA,
  termScratch?: Int32Array,
): Scored[] {
  const pool = ranked.slice(0, poolSize(k));
  if (pool.length <= 1) return pool.slice(0, k);
  const hi = pool[0].score;
  const lo = pool[pool.length - 1].score;
  const scale = hi > lo ? 1 / (hi - lo) : 0;
  const maxSim = new Float64Array(pool.length);
  const taken = new Uint8Array(pool.length);
  // The pool's rows by term: a picked paper's similarity to every pool member is then a walk over
  // the members sharing its terms (a few per term), not a gather over each member's whole row.
  let width = 0;
  let nnz = 0;
  for (const p of pool) {
    const idx = p.paper.vec.idx;
    nnz += idx.length;
    if (idx.length > 0 && idx[idx.length - 1] >= width) width = idx[idx.length - 1] + 1;
  }
  const ptr = termScratch && termScratch.length > width ? termScratch : new Int32Array(width + 1);
  for (const p of pool) for (const t of p.paper.vec.idx) ptr[t + 1]++;
  for (let t = 0; t < width; t++) ptr[t + 1] += ptr[t];
  const member = new Int32Array(nnz);
  const value = new Float32Array(nnz);
  pool.forEach((p, i) => {
    const { idx, val } = p.paper.vec;
    for (let j = 0; j < idx.length; j++) {
      const at = ptr[idx[j]]++;
      member[at] = i;
      value[at] = val[j];
    }
  });
  // Filling moved each start to the next term's start: shift them back.
  for (let t = width; t > 0; t--) ptr[t] = ptr[t - 1];
  ptr[0] = 0;
  const cos = new Float64Array(pool.length);
  const out: Scored[] = [];
  while (out.length < k && out.length < pool.length) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < pool.length; i++) {
      if (taken[i]) continue;
      const v = lambda * (pool[i].score - lo) * scale - (1 - lambda) * maxSim[i];
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    taken[best] = 1;
    const picked = pool[best];
    out.push(picked);
    if (out.length === k) break;
    const pv = picked.paper.vec;
    cos.fill(0);
    for (let j = 0; j < pv.idx.length; j++) {
      const t = pv.idx[j];
      for (let q = ptr[t]; q < ptr[t + 1]; q++) cos[member[q]] += pv.val[j] * value[q];
    }
    for (let i = 0; i < pool.length; i++) if (!taken[i] && cos[i] > maxSim[i]) maxSim[i] = cos[i];
  }
  if (ptr === termScratch) ptr.fill(0, 0, width + 1);
  return out;
}
