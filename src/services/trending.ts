import type { App } from '../app.js';
import { addDays } from '../model/dates.js';
import { hoursBetween, trendingScore, WINDOW_DAYS } from '../model/trending.js';
import { latestActivityDay, type PaperCard, trendingCandidates } from '../store/listing-store.js';

interface TrendingItem {
  card: PaperCard;
  score: number;
}

interface TrendingList {
  items: TrendingItem[];
  /** The clock the scores were computed at (see trendingClock). */
  asOf: Date;
}

/**
 * The clock trending runs on: now, unless nothing entered any list during the last WINDOW_DAYS
 * (a dormant site, or one loaded with an old archive). Then it is the end of the last day anything
 * entered a list, so the page shows what was trending when the site was last fed instead of nothing.
 */
export async function trendingClock(app: App, now: Date): Promise<Date> {
  const last = await latestActivityDay(app.db);
  if (!last) return now;
  const end = new Date(`${addDays(last, 1)}T00:00:00.000Z`);
  return hoursBetween(end, now) > WINDOW_DAYS * 24 ? end : now;
}

/** Papers by trendingScore (model/trending.ts), highest first; ties by upvotes then newest. */
export async function trendingPapers(app: App, now: Date, limit: number): Promise<TrendingList> {
  const asOf = await trendingClock(app, now);
  const since = addDays(asOf.toISOString().slice(0, 10), -WINDOW_DAYS);
  const candidates = await trendingCandidates(app.db, since);
  const items = candidates
    .map(({ card, enteredAt }) => ({
      card,
      enteredAt,
      score: trendingScore({
        upvotes: card.upvotes,
        authorUpvotes: card.authorUpvotes,
        comments: card.commentCount,
        hasCode: !!card.githubRepo,
        ageHours: hoursBetween(enteredAt, asOf),
      }).score,
    }))
    .filter((x) => x.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.card.upvotes - a.card.upvotes ||
        (a.enteredAt < b.enteredAt ? 1 : a.enteredAt > b.enteredAt ? -1 : 0),
    )
    .slice(0, limit)
    .map(({ card, score }) => ({ card, score }));
  return { items, asOf };
}
