import { z } from 'zod';
import type { App } from '../../app.js';
import { badRequest } from '../../lib/app-error.js';
import { addDays, type DayRange, parseDay } from '../../model/dates.js';
import { hfMonthRange, hfWeekRange } from '../../model/hf-periods.js';
import { hoursBetween, trendingScore, WINDOW_DAYS } from '../../model/trending.js';
import { trendingClock } from '../../services/trending.js';
import { dailyEntries, type PaperCard } from '../../store/listing-store.js';
import { intParam } from '../params.js';
import { handler, json } from '../route.js';
import { toHfDailyItem } from './hf-format.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 100;
/** Entries of the trending window ranked in memory for sort=trending (a busy week holds a few hundred). */
const MAX_RANGE_ENTRIES = 5_000;
export const MAX_PAGE = 10_000;
export const DAILY_SORTS = ['publishedAt', 'trending'] as const;
type DailySort = (typeof DAILY_SORTS)[number];

const DailyQuery = z.object({
  date: z
    .string()
    .optional()
    .refine((v) => !v || parseDay(v) !== null, 'expected a date YYYY-MM-DD'),
  week: z
    .string()
    .optional()
    .refine((v) => !v || hfWeekRange(v) !== null, 'expected an ISO week YYYY-Www'),
  month: z
    .string()
    .optional()
    .refine((v) => !v || hfMonthRange(v) !== null, 'expected a month YYYY-MM'),
  submitter: z.string().max(100, 'at most 100 characters').optional(),
  sort: z.enum(DAILY_SORTS, { message: 'expected "publishedAt" or "trending"' }).optional(),
  p: intParam(0, MAX_PAGE, 0),
  limit: intParam(1, MAX_LIMIT, DEFAULT_LIMIT),
});

interface DailyRequest {
  date?: string;
  week?: string;
  month?: string;
  submitter?: string;
  sort?: DailySort;
  /** Page number from 0. */
  p: number;
  limit: number;
}

/**
 * The days a request covers: a day, Hugging Face's week or month (model/hf-periods.ts), or every
 * day (null). Giving more than one is a 400 naming the second.
 */
export function dailyRange(q: Pick<DailyRequest, 'date' | 'week' | 'month'>): DayRange | null {
  const given = [q.date && 'date', q.week && 'week', q.month && 'month'].filter(Boolean) as string[];
  if (given.length > 1) throw badRequest(`Give only one of date, week and month (got ${given.join(', ')}).`, given[1]);
  if (q.date) return { from: q.date, to: q.date };
  if (q.week) return hfWeekRange(q.week);
  if (q.month) return hfMonthRange(q.month);
  return null;
}

/**
 * Daily Papers entries as `/api/daily_papers` lists them, shared with the MCP tools:
 * - no date, week or month: every day, newest featured first (Hugging Face's "most recently
 *   submitted"); with a range: most upvoted first;
 * - `sort=publishedAt`: newest featured first, whatever the range;
 * - `sort=trending`: the entries inside the trending window (WINDOW_DAYS before the range's end, or
 *   before now when the range is current) by trendingScore, then the older ones, which score 0,
 *   newest first;
 * - `submitter` narrows any of these to one user's submissions; `p` and `limit` page the result.
 *
 * @example
 * await listDailyPapers(app, now, { submitter: 'akhaliq', p: 0, limit: 20 }) // their newest 20, every day
 */
export async function listDailyPapers(app: App, now: Date, q: DailyRequest): Promise<PaperCard[]> {
  const range = dailyRange(q);
  const db = app.db;
  const offset = q.p * q.limit;
  const base = { from: range?.from, to: range?.to, submitter: q.submitter };
  if (q.sort !== 'trending') {
    const order = q.sort === 'publishedAt' || !range ? 'newest' : 'upvotes';
    return (await dailyEntries(db, { ...base, order, limit: q.limit, offset })).items;
  }
  const clock = await trendingClock(app, now);
  const rangeEnd = range ? new Date(`${addDays(range.to, 1)}T00:00:00.000Z`) : clock;
  const at = rangeEnd < clock ? rangeEnd : clock;
  const windowFrom = addDays(at.toISOString().slice(0, 10), -WINDOW_DAYS);
  const inWindow = (
    await dailyEntries(db, {
      ...base,
      from: range && range.from > windowFrom ? range.from : windowFrom,
      order: 'newest',
      limit: MAX_RANGE_ENTRIES,
      offset: 0,
    })
  ).items;
  const score = (c: PaperCard) =>
    trendingScore({
      upvotes: c.upvotes,
      authorUpvotes: c.authorUpvotes,
      comments: c.commentCount,
      hasCode: !!c.githubRepo,
      ageHours: hoursBetween(`${c.daily!.day}T00:00:00.000Z`, at),
    }).score;
  const ranked = inWindow
    .map((c) => ({ c, s: score(c) }))
    .sort((a, b) => b.s - a.s || b.c.upvotes - a.c.upvotes)
    .map((x) => x.c);
  const page = ranked.slice(offset, offset + q.limit);
  if (page.length === q.limit || (range && range.from >= windowFrom)) return page;
  const beforeWindow = addDays(windowFrom, -1);
  const older = await dailyEntries(db, {
    ...base,
    to: range && range.to < beforeWindow ? range.to : beforeWindow,
    order: 'newest',
    limit: q.limit - page.length,
    offset: Math.max(0, offset - ranked.length),
  });
  return [...page, ...older.items];
}

/**
 * GET /api/daily_papers?date=&week=&month=&submitter=&sort=publishedAt|trending&p=&limit=
 * Daily Papers entries as Hugging Face returns them (listDailyPapers above says which and in what order).
 */
export const dailyPapersApi = handler({ query: DailyQuery }, async (ctx) => {
  const cards = await listDailyPapers(ctx.app, ctx.now, ctx.query);
  return json(cards.map(toHfDailyItem));
});
