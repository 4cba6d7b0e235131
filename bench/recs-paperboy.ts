import { authorKey, NO_SIGNALS, type RecsPaper, scoreCandidates, trainProfile } from '../src/recs/model.js';
import type { SparseVector } from '../src/recs/tfidf.js';
import type { CorpusPaper } from './recs-data.js';
import type { RecsMethod } from './recs-protocol.js';

export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/**
 * paperboy's own model (src/recs/model.ts) on the protocol: each earlier pick is a "submitted"
 * signal on its day; the profile is retrained from scratch every day, as the site does on every
 * signal; candidates are ranked as /for-you ranks them.
 */
export function paperboyMethod(
  papers: readonly CorpusPaper[],
  rows: readonly SparseVector[],
  features: number,
  ablation: 'none' | 'no-freshness' = 'none',
): RecsMethod {
  const reps: RecsPaper[] = papers.map((p, i) => ({
    id: i,
    vec: rows[i],
    categories: p.categories,
    authors: p.authors.map(authorKey),
    listedDay: dayNumber(p.firstListed),
  }));
  return {
    name: ablation === 'none' ? 'paperboy' : `paperboy-${ablation}`,
    rank(e) {
      const today = dayNumber(e.day);
      const profile = trainProfile(
        {
          ...NO_SIGNALS,
          positives: e.history.map((p, i) => ({ paper: reps[p], kind: 'submitted', day: dayNumber(e.historyDays[i]) })),
        },
        features,
        today,
      );
      const scored = scoreCandidates(
        profile,
        e.candidates.map((p) => reps[p]),
        today,
      );
      // The ablation shows what the freshness habit adds: the same model with that part taken out.
      if (ablation === 'no-freshness')
        scored.sort((a, b) => b.score - b.parts.freshness - (a.score - a.parts.freshness) || a.paper.id - b.paper.id);
      return scored.map((s) => s.paper.id);
    },
  };
}
