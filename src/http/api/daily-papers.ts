import { z } from 'zod';
import { badRequest } from '../../lib/app-error.js';
import { addDays, type DayRange, monthRange, parseDay, weekRange } from '../../model/dates.js';
import { hoursBetween, trendingScore } from '../../model/trending.js';
import { trendingClock } from '../../services/trending.js';
import { dailyEntries, latestDailyDay, type PaperCard } from '../../store/listing-store.js';
import { intParam } from '../params.js';
import { handler, json } from '../route.js';
import { toHfDailyItem } from './hf-format.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
/** Entries of one range ranked in memory for sort=trending or sort=publishedAt (a month holds ~1,000). */
export const MAX_RANGE_ENTRIES = 5_000;
const MAX_PAGE = 10_000;

const Query = z.object({
  date: z
    .string()
    .optional()
    .refine((v) => !v || parseDay(v) !== null, 'expected a date YYYY-MM-DD'),
  week: z
    .string()
    .optional()
    .refine((v) => !v || weekRange(v) !== null, 'expected an ISO week YYYY-Www'),
  month: z
    .string()
    .optional()
    .refine((v) => !v || monthRange(v) !== null, 'expected a month YYYY-MM'),
  submitter: z.string().max(100, 'at most 100 characters').optional(),
  sort: z.enum(['publishedAt', 'trending'], { message: 'expected "publishedAt" or "trending"' }).optional(),
  p: intParam(0, MAX_PAGE, 0),
  limit: intParam(1, MAX_LIMIT, DEFAULT_LIMIT),
});

function byNewest(a: PaperCard, b: PaperCard): number {
  const x = a.daily?.submittedAt ?? a.daily?.day ?? '';
  const y = b.daily?.submittedAt ?? b.daily?.day ?? '';
  return x < y ? 1 : x > y ? -1 : 0;
}

/**
 * GET /api/daily_papers?date=&week=&month=&submitter=&sort=publishedAt|trending&p=&limit=
 * Daily Papers entries as Hugging Face returns them. Without date, week or month: the latest day.
 * Default order: most upvoted first, then the day's own order. sort=publishedAt: newest featured
 * first; sort=trending: trendingScore at the end of the range (or now, if the range is current).
 */
export const dailyPapersApi = handler({ query: Query }, async (ctx) => {
  const q = ctx.query;
  const given = [q.date && 'date', q.week && 'week', q.month && 'month'].filter(Boolean) as string[];
  if (given.length > 1) throw badRequest(`Give only one of date, week and month (got ${given.join(', ')}).`, given[1]);
  let range: DayRange | null = null;
  if (q.date) range = { from: q.date, to: q.date };
  else if (q.week) range = weekRange(q.week);
  else if (q.month) range = monthRange(q.month);
  else {
    const latest = await latestDailyDay(ctx.app.db);
    if (!latest) return json([]);
    range = { from: latest, to: latest };
  }
  const db = ctx.app.db;
  const offset = q.p * q.limit;
  if (!q.sort) {
    const page = await dailyEntries(db, { ...range!, submitter: q.submitter, limit: q.limit, offset });
    return json(page.items.map(toHfDailyItem));
  }
  const all = (await dailyEntries(db, { ...range!, submitter: q.submitter, limit: MAX_RANGE_ENTRIES, offset: 0 }))
    .items;
  if (q.sort === 'publishedAt') all.sort(byNewest);
  else {
    const rangeEnd = new Date(`${addDays(range!.to, 1)}T00:00:00.000Z`);
    const clock = await trendingClock(ctx.app, ctx.now);
    const at = rangeEnd < clock ? rangeEnd : clock;
    const score = (c: PaperCard) =>
      trendingScore({
        upvotes: c.upvotes,
        authorUpvotes: c.authorUpvotes,
        comments: c.commentCount,
        hasCode: !!c.githubRepo,
        ageHours: hoursBetween(`${c.daily!.day}T00:00:00.000Z`, at),
      }).score;
    const scored = all.map((c) => ({ c, s: score(c) }));
    scored.sort((a, b) => b.s - a.s || b.c.upvotes - a.c.upvotes);
    all.splice(0, all.length, ...scored.map((x) => x.c));
  }
  return json(all.slice(offset, offset + q.limit).map(toHfDailyItem));
});
