import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import { diversify, poolSize } from './diversify.js';
import { candidateMatrix, gatherSims } from './matrix.js';
import {
  NO_SIGNALS,
  type PositiveSignal,
  type ReaderSignals,
  type RecsPaper,
  type Scored,
  scoreCandidates,
  scoreMatrix,
  trainProfile,
} from './model.js';
import { ReaderText, textSims } from './reader-text.js';
import { sparseCosineFew, sparseDot } from './tfidf.js';

const FEATURES = 60;
const TODAY = 20_000;

function corpus(n: number, seed: number): RecsPaper[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, id) => {
    const terms = [...new Set(Array.from({ length: 4 + Math.floor(r() * 8) }, () => Math.floor(r() * FEATURES)))].sort(
      (a, b) => a - b,
    );
    const val = Float32Array.from(terms, () => 0.1 + r());
    const norm = Math.hypot(...val);
    for (let j = 0; j < val.length; j++) val[j] /= norm;
    return {
      id: 1000 + id,
      vec: { idx: Int32Array.from(terms), val },
      categories: [['cs.CL', 'cs.LG', 'cs.CV'][id % 3]],
      authors: [`a${id % 7}`, `b${id % 11}`],
      listedDay: TODAY - (id % 9),
    };
  });
}

function signalsOf(papers: RecsPaper[], liked: number[], dismissed: number[]): ReaderSignals {
  const positives: PositiveSignal[] = liked.map((i, k) => ({
    paper: papers[i],
    kind: k % 3 === 0 ? 'save' : 'upvote',
    day: TODAY - k,
  }));
  return { ...NO_SIGNALS, positives, dismissed: dismissed.map((i) => papers[i]) };
}

/** The text similarities as trainProfile's dense profile gives them: the definition. */
function reference(papers: RecsPaper[], candidates: RecsPaper[], s: ReaderSignals): number[] {
  const profile = trainProfile(s, FEATURES, TODAY);
  return candidates.map((c) => sparseDot(c.vec, profile.text!));
}

describe('ReaderText', () => {
  const papers = corpus(300, 7);
  const candidates = papers.slice(0, 200);
  const m = candidateMatrix(candidates, FEATURES);

  it('keeps the similarities of the dense profile, signal by signal, without rebuilding', () => {
    const rt = new ReaderText(m, TODAY);
    const out = new Float64Array(m.rows);
    let liked = [210, 220, 230, 5, 17, 42, 77];
    let dismissed = [250];
    const check = () => {
      const s = signalsOf(papers, liked, dismissed);
      expect(rt.sims(s, out)).toBe(true);
      const want = reference(papers, candidates, s);
      for (let i = 0; i < m.rows; i++) expect(out[i]).toBeCloseTo(want[i], 12);
    };
    check();
    expect([rt.rebuilds, rt.steps]).toEqual([1, 0]);
    liked = [...liked, 260]; // one more liked paper
    check();
    liked = liked.filter((i) => i !== 17); // one taken back
    check();
    dismissed = [...dismissed, 270, 280]; // "not interested" twice
    check();
    dismissed = [];
    check();
    expect([rt.rebuilds, rt.steps]).toEqual([1, 4]);
    // Many changes at once: rebuilt whole.
    liked = Array.from({ length: 40 }, (_, i) => 100 + i);
    check();
    expect(rt.rebuilds).toBe(2);
    // No positives: no text profile.
    expect(rt.sims(signalsOf(papers, [], [250]), out)).toBe(false);
  });

  it('ranks exactly as scoring each candidate on its own does', () => {
    const liked = [201, 202, 203, 204, 10, 11];
    const base = signalsOf(papers, liked, [205]);
    const signals: ReaderSignals = {
      ...base,
      followedAuthors: new Set(['a3']),
      followedCategories: new Set(['cs.LG']),
      mutedAuthors: new Set(['b5']),
      savedSearches: [{ label: 'terms 1 and 2', vec: { idx: Int32Array.of(1, 2), val: Float32Array.of(0.6, 0.8) } }],
    };
    const profile = trainProfile(signals, FEATURES, TODAY);
    const all = scoreCandidates(profile, candidates, TODAY);
    // Each candidate's score by the formula's parts, one at a time (the definition).
    for (const s of all) {
      const c = s.paper;
      expect(c.authors).not.toContain('b5');
      expect(s.parts.text).toBeCloseTo(sparseDot(c.vec, profile.text!), 12);
      expect(s.parts.followedAuthor).toBe(c.authors.includes('a3') ? 'a3' : null);
      expect(s.parts.followedCategory).toBe(c.categories.includes('cs.LG') ? 'cs.LG' : null);
      expect(s.parts.savedSearch).toBe(
        sparseCosineFew(signals.savedSearches[0].vec, c.vec) >= 0.1 ? 'terms 1 and 2' : null,
      );
      const p = s.parts;
      const sum =
        p.text / 0.05 +
        p.freshness +
        p.authorAffinity +
        p.categoryAffinity +
        (p.followedAuthor ? 3 : 0) +
        (p.followedCategory ? 0.5 : 0) +
        (p.savedSearch ? 2 : 0);
      expect(s.score).toBeCloseTo(sum, 9);
    }
    for (let i = 1; i < all.length; i++) expect(all[i - 1].score).toBeGreaterThanOrEqual(all[i].score);
    const seen = new Set(all.map((s) => s.paper.id));
    for (const i of [...liked, 205]) expect(seen.has(papers[i].id)).toBe(false);
    // The top 25 through the selection, and through a reader's kept similarities: the same list.
    const top = scoreMatrix(profile, m, TODAY, () => '', { limit: 25 });
    expect(top.map((s) => s.paper.id)).toEqual(all.slice(0, 25).map((s) => s.paper.id));
    const sims = new Float64Array(m.rows);
    new ReaderText(m, TODAY).sims(signals, sims);
    const fast = scoreMatrix(trainProfile(signals, FEATURES, TODAY, { text: false }), m, TODAY, () => '', {
      limit: 25,
      sims,
    });
    expect(fast.map((s) => s.paper.id)).toEqual(top.map((s) => s.paper.id));
    // A muted topic widens the selection until the limit is met.
    const textOf = (p: RecsPaper) => (top.slice(0, 20).some((t) => t.paper.id === p.id) ? 'blockchain' : 'other');
    const mutedProfile = trainProfile({ ...signals, mutedTopics: ['blockchain'] }, FEATURES, TODAY);
    const muted = scoreMatrix(mutedProfile, m, TODAY, textOf, { limit: 25 });
    expect(muted).toHaveLength(25);
    expect(muted.map((s) => s.paper.id)).toEqual(
      all
        .filter((s) => textOf(s.paper) !== 'blockchain')
        .slice(0, 25)
        .map((s) => s.paper.id),
    );
  });

  it('gathers a dense profile over the rows', () => {
    const dense = Float64Array.from({ length: FEATURES }, (_, i) => i / FEATURES);
    const out = new Float64Array(m.rows);
    gatherSims(m, dense, out);
    candidates.forEach((c, i) => {
      expect(out[i]).toBeCloseTo(sparseDot(c.vec, dense), 12);
    });
  });

  it('computes the same similarities whole (textSims), by term lists or by a dense gather', () => {
    for (const liked of [[210, 220], Array.from({ length: 60 }, (_, i) => 100 + i)]) {
      const s = signalsOf(papers, liked, [250, 260]);
      const out = new Float64Array(m.rows);
      expect(textSims(m, s, TODAY, out)).toBe(true);
      const want = reference(papers, candidates, s);
      for (let i = 0; i < m.rows; i++) expect(out[i]).toBeCloseTo(want[i], 12);
    }
    expect(m.scratch.every((x) => x === 0)).toBe(true);
    expect(m.work.acc.every((x) => x === 0)).toBe(true);
  });

  it("reuses a liked paper's similarities for the next reader who liked it (textSims), unchanged", () => {
    const mm = candidateMatrix(candidates, FEATURES);
    const first = signalsOf(papers, [210, 220, 230], []);
    const second = signalsOf(papers, [220, 230, 240], [250]);
    const out = new Float64Array(mm.rows);
    textSims(mm, first, TODAY, out);
    expect([...mm.work.paperSims.keys()].sort()).toEqual([210, 220, 230].map((i) => papers[i].id));
    const kept = mm.work.paperSims.get(papers[220].id);
    textSims(mm, second, TODAY, out);
    expect(mm.work.paperSims.get(papers[220].id)).toBe(kept); // reused, not recomputed
    expect(mm.work.paperSims.size).toBe(4);
    const want = reference(papers, candidates, second);
    for (let i = 0; i < mm.rows; i++) expect(out[i]).toBeCloseTo(want[i], 12);
  });

  /** Maximal marginal relevance computed eagerly (every member against every pick): the definition. */
  function eagerMmr(ranked: Scored[], k: number, lambda = 0.8): Scored[] {
    const pool = ranked.slice(0, poolSize(k));
    const hi = pool[0].score;
    const lo = pool[pool.length - 1].score;
    const scale = hi > lo ? 1 / (hi - lo) : 0;
    const maxSim = pool.map(() => 0);
    const out: Scored[] = [];
    const left = new Set(pool.map((_, i) => i));
    while (out.length < k && left.size > 0) {
      let best = -1;
      let bestValue = Number.NEGATIVE_INFINITY;
      for (const i of left) {
        const v = lambda * (pool[i].score - lo) * scale - (1 - lambda) * maxSim[i];
        if (v > bestValue || (v === bestValue && i < best)) [best, bestValue] = [i, v];
      }
      left.delete(best);
      out.push(pool[best]);
      for (const i of left) maxSim[i] = Math.max(maxSim[i], sparseCosineFew(pool[best].paper.vec, pool[i].paper.vec));
    }
    return out;
  }

  it('diversifies as the eager definition does, computing similarities only where they can matter', () => {
    for (const liked of [[201, 202, 203], [210, 250, 290], [5]]) {
      const profile = trainProfile(signalsOf(papers, liked, []), FEATURES, TODAY);
      const scored = scoreMatrix(profile, m, TODAY, () => '', { limit: 150 });
      for (const k of [1, 5, 20]) {
        const got = diversify(scored, k).map((s) => s.paper.id);
        expect(got).toEqual(eagerMmr(scored, k).map((s) => s.paper.id));
        expect(new Set(got).size).toBe(k);
      }
    }
  });

  it('stops diversifying once enough papers outside the skipped ones are picked, the same papers', () => {
    const profile = trainProfile(signalsOf(papers, [201, 202, 203], []), FEATURES, TODAY);
    const scored = scoreMatrix(profile, m, TODAY, () => '', { limit: 100 });
    const whole = diversify(scored, 25);
    const skip = new Set(whole.filter((_, i) => i % 2 === 0).map((s) => s.paper.id));
    const early = diversify(scored, 25, undefined, { skip, enough: 5 });
    const wanted = (list: typeof whole) => list.filter((s) => !skip.has(s.paper.id)).map((s) => s.paper.id);
    expect(wanted(early)).toEqual(wanted(whole).slice(0, 5));
    expect(early.length).toBeLessThan(whole.length);
  });
});
