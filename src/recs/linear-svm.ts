import { seededRandom } from '../lib/seeded-random.js';
import type { SparseVector } from './tfidf.js';

/**
 * A linear SVM as scikit-learn's `LinearSVC` trains it (liblinear's dual coordinate descent for the
 * L2-regularised squared hinge loss, Hsieh et al. 2008, with shrinking; the intercept is a constant
 * feature of value 1, regularised like the rest, as liblinear does). arxiv-sanity-lite ranks papers
 * with it: C = 0.01, balanced class weights (each class weighted n / (2 · its size)).
 *
 * `alpha` can be passed back in to warm-start a problem that changed a little (one more positive):
 * any α ≥ 0 is dual-feasible, so a warm start converges to the same optimum, only sooner.
 *
 * @example
 * const m = trainLinearSvm(rows, labels, { c: 0.01, balanced: true });
 * const score = sparseDot(row, m.w) + m.bias;
 */
export interface SvmOptions {
  c: number;
  balanced: boolean;
  /** Stop when the projected gradient's spread is below this (liblinear's eps). */
  tolerance?: number;
  /** Passes over the data at most. */
  maxIterations?: number;
  seed?: number;
  /** A previous solution's dual variables, one per row (warm start). */
  alpha?: Float64Array;
}

export interface SvmModel {
  w: Float64Array;
  bias: number;
  alpha: Float64Array;
  iterations: number;
}

/** scikit-learn's default tolerance for LinearSVC. */
const SVM_TOLERANCE = 1e-4;
/** scikit-learn's default max_iter for LinearSVC. */
const SVM_MAX_ITERATIONS = 1000;

export function trainLinearSvm(
  rows: readonly SparseVector[],
  labels: Int8Array,
  features: number,
  opts: SvmOptions,
): SvmModel {
  const n = rows.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] > 0) positives++;
  const negatives = n - positives;
  const cPos = opts.balanced ? (opts.c * n) / (2 * Math.max(1, positives)) : opts.c;
  const cNeg = opts.balanced ? (opts.c * n) / (2 * Math.max(1, negatives)) : opts.c;
  const eps = opts.tolerance ?? SVM_TOLERANCE;
  const maxIter = opts.maxIterations ?? SVM_MAX_ITERATIONS;
  const rnd = seededRandom(opts.seed ?? 1);

  const alpha = opts.alpha ? Float64Array.from(opts.alpha) : new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  const w = new Float64Array(features);
  let bias = 0;
  for (let i = 0; i < n; i++) {
    diag[i] = 0.5 / (labels[i] > 0 ? cPos : cNeg);
    const x = rows[i];
    let sq = 1; // the intercept's constant feature
    for (let j = 0; j < x.val.length; j++) sq += x.val[j] * x.val[j];
    qd[i] = diag[i] + sq;
    if (alpha[i] !== 0) {
      const a = alpha[i] * labels[i];
      for (let j = 0; j < x.idx.length; j++) w[x.idx[j]] += a * x.val[j];
      bias += a;
    }
  }
  const index = new Int32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  let active = n;
  let pgMaxOld = Number.POSITIVE_INFINITY;
  let iter = 0;
  while (iter < maxIter) {
    let pgMaxNew = Number.NEGATIVE_INFINITY;
    let pgMinNew = Number.POSITIVE_INFINITY; // with no upper bound on α only the spread uses it
    for (let k = 0; k < active; k++) {
      const j = k + Math.floor(rnd() * (active - k));
      const t = index[k];
      index[k] = index[j];
      index[j] = t;
    }
    for (let s = 0; s < active; s++) {
      const i = index[s];
      const x = rows[i];
      const yi = labels[i];
      let dot = bias;
      for (let j = 0; j < x.idx.length; j++) dot += x.val[j] * w[x.idx[j]];
      const g = yi * dot - 1 + alpha[i] * diag[i];
      let pg = 0;
      if (alpha[i] === 0) {
        if (g > pgMaxOld) {
          // Shrink: this row sits at its bound and will likely stay there.
          active--;
          index[s] = index[active];
          index[active] = i;
          s--;
          continue;
        }
        if (g < 0) pg = g;
      } else pg = g;
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i];
        alpha[i] = Math.max(old - g / qd[i], 0);
        const d = (alpha[i] - old) * yi;
        for (let j = 0; j < x.idx.length; j++) w[x.idx[j]] += d * x.val[j];
        bias += d;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= eps) {
      if (active === n) break;
      // Converged on the shrunk set: check every row once more before stopping.
      active = n;
      pgMaxOld = Number.POSITIVE_INFINITY;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Number.POSITIVE_INFINITY : pgMaxNew;
  }
  return { w, bias, alpha, iterations: iter };
}
