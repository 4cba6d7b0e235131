import { ndcgAt, recallAt } from './ir-metrics.js';

/**
 * The evaluation protocol of issue #17, replaying Hugging Face submitters' real picks:
 *
 * - readers are submitters with at least `MIN_READER_PICKS` submitted papers that are in the
 *   listings (the candidate corpus); a paper submitted twice counts once, on its first day;
 * - for each reader, their submission days in order; a day with at least `MIN_HISTORY` earlier
 *   picks is scored: the history is all earlier picks, the candidates are the papers first listed
 *   in the `WINDOW_DAYS` days up to that day (pick day included) plus that day's picks, minus the
 *   history; the day's picks are the relevant set;
 * - recall@50 and nDCG@50 of each method's ranking, averaged over all scored days.
 *
 * Pure: the data comes in as arrays, so a test can run it on a small fixed corpus.
 */
export const MIN_READER_PICKS = 10;
export const MIN_HISTORY = 5;
export const WINDOW_DAYS = 8;
export const CUTOFF = 50;

/** One submission: who, the Daily Papers day (YYYY-MM-DD) and the paper's index in the corpus. */
export interface Pick {
  reader: string;
  day: string;
  paper: number;
}

export interface Episode {
  reader: string;
  day: string;
  /** Earlier picks, oldest first. */
  history: number[];
  /** The day of each earlier pick (parallel to history). */
  historyDays: string[];
  /** The day's picks (each in candidates). */
  picks: number[];
  candidates: number[];
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

/**
 * The scored days. `firstListed[p]` is the first listing day of corpus paper p; picks of papers
 * outside the corpus must be left out by the caller (they have no text to rank).
 */
export function buildEpisodes(
  picks: readonly Pick[],
  firstListed: readonly string[],
): { readers: number; episodes: Episode[] } {
  const byDay = new Map<number, number[]>();
  firstListed.forEach((d, p) => {
    const n = dayNumber(d);
    const list = byDay.get(n);
    if (list) list.push(p);
    else byDay.set(n, [p]);
  });
  const readers = new Map<string, Pick[]>();
  for (const p of picks) {
    const list = readers.get(p.reader);
    if (list) list.push(p);
    else readers.set(p.reader, [p]);
  }
  const episodes: Episode[] = [];
  let qualified = 0;
  for (const reader of [...readers.keys()].sort()) {
    const seen = new Set<number>();
    const mine = readers
      .get(reader)!
      .slice()
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.paper - b.paper))
      .filter((p) => !seen.has(p.paper) && seen.add(p.paper));
    if (mine.length < MIN_READER_PICKS) continue;
    qualified++;
    const history: number[] = [];
    const historyDays: string[] = [];
    let i = 0;
    while (i < mine.length) {
      const day = mine[i].day;
      const today: number[] = [];
      for (; i < mine.length && mine[i].day === day; i++) today.push(mine[i].paper);
      if (history.length >= MIN_HISTORY) {
        const past = new Set(history);
        const candidates = new Set<number>();
        const end = dayNumber(day);
        for (let d = end - WINDOW_DAYS + 1; d <= end; d++)
          for (const p of byDay.get(d) ?? []) if (!past.has(p)) candidates.add(p);
        for (const p of today) candidates.add(p);
        episodes.push({
          reader,
          day,
          history: history.slice(),
          historyDays: historyDays.slice(),
          picks: today,
          candidates: [...candidates].sort((a, b) => a - b),
        });
      }
      history.push(...today);
      for (const _ of today) historyDays.push(day);
    }
  }
  return { readers: qualified, episodes };
}

/** A method ranks an episode's candidates, best first (at least the first `CUTOFF` matter). */
export interface RecsMethod {
  name: string;
  rank(e: Episode): number[];
}

export interface MethodScore {
  recall_at_50: number;
  ndcg_at_50: number;
}

export interface EvalResult {
  readers: number;
  days: number;
  methods: Record<string, MethodScore>;
}

export function evaluate(
  readers: number,
  episodes: readonly Episode[],
  methods: readonly RecsMethod[],
  onEpisode?: (i: number) => void,
): EvalResult {
  const sums = new Map<string, { recall: number; ndcg: number }>(methods.map((m) => [m.name, { recall: 0, ndcg: 0 }]));
  episodes.forEach((e, i) => {
    const relevant = new Set(e.picks);
    for (const m of methods) {
      const ranked = m.rank(e);
      const s = sums.get(m.name)!;
      s.recall += recallAt(ranked, relevant, CUTOFF);
      s.ndcg += ndcgAt(ranked, relevant, CUTOFF);
    }
    onEpisode?.(i);
  });
  const n = Math.max(1, episodes.length);
  const result: EvalResult = {
    readers,
    days: episodes.length,
    methods: {},
  };
  for (const [name, s] of sums) result.methods[name] = { recall_at_50: s.recall / n, ndcg_at_50: s.ndcg / n };
  return result;
}
