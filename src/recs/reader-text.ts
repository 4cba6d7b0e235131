import { addRowSims, type CandidateMatrix, gatherSims } from './matrix.js';
import { DISMISSED_WEIGHT, type ReaderSignals, signalWeight } from './model.js';
import type { SparseVector } from './tfidf.js';

/**
 * One reader's text similarities to every candidate of a matrix, kept up to date signal by signal.
 *
 * The text profile is linear in the liked papers (Σ wᵢ·xᵢ / Σ wᵢ, minus γ/n of the dismissed
 * ones), so its similarity to each candidate is too: the state keeps Σ wᵢ·(C·xᵢ) and Σ C·dⱼ, and a
 * new signal adds its paper's similarities through the matrix's term lists — the candidates that
 * share a term with that one paper, a few thousand multiplications — instead of rebuilding the
 * profile from all 200 signals and gathering it over every candidate (≈ 750,000 at 5,000
 * candidates). A removed signal is subtracted the same way. Many changes at once, a new day (every
 * weight decays), or REBUILD_AFTER_UPDATES incremental steps (rounding) rebuild it whole.
 *
 * @example
 * const rt = new ReaderText(matrix, today);
 * const sims = new Float64Array(matrix.rows);
 * if (rt.sims(signals, sims)) scoreMatrix(profile, matrix, today, textOf, { sims });
 */
const REBUILD_AFTER_CHANGES = 16;
const REBUILD_AFTER_UPDATES = 1_000;

export class ReaderText {
  private liked = new Map<string, { vec: SparseVector; w: number }>();
  private dismissed = new Map<number, SparseVector>();
  private readonly likedSims: Float64Array;
  private readonly dismissedSims: Float64Array;
  private updates = 0;
  private built = false;
  /** Full rebuilds and single-signal updates so far (for tests and the benchmark). */
  rebuilds = 0;
  steps = 0;

  constructor(
    readonly matrix: CandidateMatrix,
    readonly today: number,
  ) {
    this.likedSims = new Float64Array(matrix.rows);
    this.dismissedSims = new Float64Array(matrix.rows);
  }

  /**
   * Brings the state to `signals` and writes the text similarity of every row into `out` (the
   * same as `gatherSims` of trainProfile's dense text); false, with `out` untouched, when there
   * are no positive signals (the model then has no text profile).
   */
  sims(signals: ReaderSignals, out: Float64Array): boolean {
    if (signals.positives.length === 0) return false;
    const want = new Map<string, { vec: SparseVector; w: number }>();
    let total = 0;
    for (const s of signals.positives) {
      const w = signalWeight(s.kind, s.day, this.today);
      total += w;
      const key = `${s.kind}:${s.paper.id}`;
      const had = want.get(key);
      want.set(key, { vec: s.paper.vec, w: had ? had.w + w : w });
    }
    const wantDismissed = new Map<number, SparseVector>();
    for (const p of signals.dismissed) wantDismissed.set(p.id, p.vec);

    let changes = 0;
    for (const [k, v] of this.liked) {
      const w = want.get(k);
      if (!w || w.w !== v.w) changes++;
    }
    for (const k of want.keys()) if (!this.liked.has(k)) changes++;
    for (const id of this.dismissed.keys()) if (!wantDismissed.has(id)) changes++;
    for (const id of wantDismissed.keys()) if (!this.dismissed.has(id)) changes++;

    if (!this.built || changes > REBUILD_AFTER_CHANGES || this.updates + changes > REBUILD_AFTER_UPDATES)
      this.rebuild(want, wantDismissed);
    else if (changes > 0) {
      for (const [k, v] of this.liked) {
        const w = want.get(k);
        if (!w || w.w !== v.w) addRowSims(this.matrix, v.vec, -v.w, this.likedSims);
      }
      for (const [k, w] of want) {
        const v = this.liked.get(k);
        if (!v || w.w !== v.w) addRowSims(this.matrix, w.vec, w.w, this.likedSims);
      }
      for (const [id, vec] of this.dismissed)
        if (!wantDismissed.has(id)) addRowSims(this.matrix, vec, -1, this.dismissedSims);
      for (const [id, vec] of wantDismissed)
        if (!this.dismissed.has(id)) addRowSims(this.matrix, vec, 1, this.dismissedSims);
      this.updates += changes;
      this.steps++;
    }
    this.liked = want;
    this.dismissed = wantDismissed;

    const g = wantDismissed.size > 0 ? DISMISSED_WEIGHT / wantDismissed.size : 0;
    for (let i = 0; i < out.length; i++) out[i] = this.likedSims[i] / total - g * this.dismissedSims[i];
    return true;
  }

  private rebuild(liked: Map<string, { vec: SparseVector; w: number }>, dismissed: Map<number, SparseVector>): void {
    this.spread(
      [...liked.values()].map((x) => [x.vec, x.w] as const),
      this.likedSims,
    );
    this.spread(
      [...dismissed.values()].map((vec) => [vec, 1] as const),
      this.dismissedSims,
    );
    this.built = true;
    this.updates = 0;
    this.rebuilds++;
  }

  private spread(rows: ReadonlyArray<readonly [SparseVector, number]>, out: Float64Array): void {
    spread(this.matrix, rows, out);
  }
}

/**
 * out = C · Σ w·x, whichever way touches fewer entries: through the term lists of the rows' terms
 * (a digest reader with ten saved papers against a day's 1,400 candidates: ~30,000) or by summing
 * the rows into the matrix's dense scratch and gathering it over every candidate (the whole
 * matrix, ~200,000 there; cheaper once the rows' terms cover most of it), the scratch zeroed after.
 */
function spread(m: CandidateMatrix, rows: ReadonlyArray<readonly [SparseVector, number]>, out: Float64Array): void {
  let viaTerms = 0;
  for (const [x] of rows)
    for (let j = 0; j < x.idx.length; j++) {
      const t = x.idx[j];
      if (t < m.features) viaTerms += m.colPtr[t + 1] - m.colPtr[t];
    }
  if (viaTerms < m.rowVal.length) {
    out.fill(0);
    for (const [x, w] of rows) addRowSims(m, x, w, out);
    return;
  }
  const dense = m.scratch;
  for (const [x, w] of rows)
    for (let j = 0; j < x.idx.length; j++) if (x.idx[j] < dense.length) dense[x.idx[j]] += w * x.val[j];
  gatherSims(m, dense, out);
  for (const [x] of rows) for (let j = 0; j < x.idx.length; j++) if (x.idx[j] < dense.length) dense[x.idx[j]] = 0;
}

/**
 * Bytes of one-paper similarity vectors a matrix keeps (textSims). The readers of a digest's window
 * share the papers they saved and upvoted, so C·x of a liked paper, once computed, is added for the
 * next reader who liked it: a pass over the rows instead of a walk of its terms' lists (profiled
 * at 100,000 digests: the text similarities were the section's largest cost). 256 MB holds 24,000
 * papers at a day's 1,400 candidates; past it, a paper goes through the term lists
 * uncached.
 */
const PAPER_SIMS_BUDGET_BYTES = 256 * 1024 * 1024;

/** C·x of one liked paper, kept on the matrix while the budget lasts; undefined past it. */
function paperSims(m: CandidateMatrix, id: number, x: SparseVector): Float64Array | undefined {
  const kept = m.work.paperSims;
  let own = kept.get(id);
  if (own) return own;
  if ((kept.size + 1) * m.rows * Float64Array.BYTES_PER_ELEMENT > PAPER_SIMS_BUDGET_BYTES) return undefined;
  own = new Float64Array(m.rows);
  spread(m, [[x, 1]], own);
  kept.set(id, own);
  return own;
}

/**
 * The reader's text similarity to every row, computed whole (what ReaderText keeps, for a reader
 * seen once: a digest). False, `out` untouched, without positive signals.
 */
export function textSims(m: CandidateMatrix, signals: ReaderSignals, today: number, out: Float64Array): boolean {
  if (signals.positives.length === 0) return false;
  let total = 0;
  out.fill(0);
  for (const s of signals.positives) {
    const w = signalWeight(s.kind, s.day, today);
    total += w;
    const own = paperSims(m, s.paper.id, s.paper.vec);
    if (own) for (let i = 0; i < m.rows; i++) out[i] += w * own[i];
    else addRowSims(m, s.paper.vec, w, out);
  }
  const n = signals.dismissed.length;
  if (n === 0) {
    for (let i = 0; i < m.rows; i++) out[i] /= total;
    return true;
  }
  const dismissed = m.work.acc;
  spread(
    m,
    signals.dismissed.map((p) => [p.vec, 1] as const),
    dismissed,
  );
  const g = DISMISSED_WEIGHT / n;
  for (let i = 0; i < m.rows; i++) out[i] = out[i] / total - g * dismissed[i];
  dismissed.fill(0);
  return true;
}
