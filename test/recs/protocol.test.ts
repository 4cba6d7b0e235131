import { describe, expect, it } from 'vitest';
import { buildEpisodes, evaluate, type Pick, type RecsMethod } from '../../bench/recs-protocol.js';

// A fixed synthetic corpus: 200 papers, 20 first listed on each of ten days from 2025-01-01
// (paper i on day floor(i / 20)), and three submitters.
const firstListed = Array.from({ length: 200 }, (_, i) => `2025-01-${String(1 + Math.floor(i / 20)).padStart(2, '0')}`);
const pick = (reader: string, day: string, ...papers: number[]): Pick[] =>
  papers.map((paper) => ({ reader, day, paper }));
const picks: Pick[] = [
  // a: 10 distinct papers; a repeat of 85 on the last day counts once, on its first day.
  ...pick('a', '2025-01-02', 20, 21, 22),
  ...pick('a', '2025-01-03', 40, 41),
  ...pick('a', '2025-01-05', 85, 99),
  ...pick('a', '2025-01-10', 5, 199, 120, 85),
  // b: 9 papers: not a reader.
  ...Array.from({ length: 9 }, (_, i) => pick('b', `2025-01-0${1 + i}`, 100 + i)).flat(),
  // c: 10 papers on one day: a reader with no day that has 5 earlier picks.
  ...pick('c', '2025-01-04', 60, 61, 62, 63, 64, 65, 66, 67, 68, 69),
];
/** Highest paper number first: a fixed ranking whose figures can be worked out by hand. */
const descending: RecsMethod = { name: 'descending', rank: (e) => e.candidates.slice().sort((x, y) => y - x) };
const oracle: RecsMethod = {
  name: 'oracle',
  rank: (e) => [...e.picks, ...e.candidates.filter((p) => !e.picks.includes(p))],
};

describe('eval:recs protocol', () => {
  const { readers, episodes } = buildEpisodes(picks, firstListed);

  it('counts readers with 10 picks and scores only days with 5 earlier picks', () => {
    expect(readers).toBe(2);
    expect(episodes.map((e) => [e.reader, e.day, e.picks])).toEqual([
      ['a', '2025-01-05', [85, 99]],
      ['a', '2025-01-10', [5, 120, 199]],
    ]);
    expect(episodes[1].history).toEqual([20, 21, 22, 40, 41, 85, 99]);
    expect(episodes[1].historyDays).toEqual([
      '2025-01-02',
      '2025-01-02',
      '2025-01-02',
      '2025-01-03',
      '2025-01-03',
      '2025-01-05',
      '2025-01-05',
    ]);
  });

  it('takes the candidates from the 8 days up to the pick day, plus the picks, minus the history', () => {
    // Day 5: papers listed 2024-12-29 … 2025-01-05 are 0–99; minus the 5 earlier picks.
    expect(episodes[0].candidates).toHaveLength(95);
    expect(episodes[0].candidates).not.toContain(20);
    // Day 10: papers listed 2025-01-03 … 01-10 are 40–199, minus 40, 41, 85, 99, plus the old pick 5.
    expect(episodes[1].candidates).toHaveLength(157);
    expect(episodes[1].candidates[0]).toBe(5);
    expect(episodes[1].candidates).not.toContain(39);
  });

  it('averages recall@50 and nDCG@50 over the scored days', () => {
    const r = evaluate(readers, episodes, [descending, oracle]);
    expect(r.readers).toBe(2);
    expect(r.days).toBe(2);
    // Day 5: 99 first, 85 15th → recall 1, nDCG (1 + 1/log2 16) / (1 + 1/log2 3) = 0.766434.
    // Day 10: 199 first, 120 80th, 5 last → recall 1/3, nDCG 1 / (1 + 1/log2 3 + 1/2) = 0.469278.
    expect(r.methods.descending.recall_at_50).toBeCloseTo((1 + 1 / 3) / 2, 10);
    expect(r.methods.descending.ndcg_at_50).toBeCloseTo((0.766434 + 0.469278) / 2, 5);
    expect(r.methods.oracle).toEqual({ recall_at_50: 1, ndcg_at_50: 1 });
  });
});
