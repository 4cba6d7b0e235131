import { z } from 'zod';
import { badRequest, notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { isoWeekOf, longDate, parseDay } from '../../model/dates.js';
import {
  adjacentDailyDays,
  adjacentListingDays,
  dailyEntries,
  latestActivityDay,
  newOnArxiv,
} from '../../store/listing-store.js';
import { text } from '../params.js';
import { type Ctx, type Handler, handler, type Reply, redirect } from '../route.js';
import { cardList } from '../ui/card.js';
import { datePicker, PAGE_SIZE, PageParams, pageNumber, pager, stepNav, tabs } from '../ui/components.js';
import { page } from '../ui/layout.js';

function nearer(a: string | null, b: string | null, pick: (x: string, y: string) => string): string | null {
  if (!a) return b;
  if (!b) return a;
  return pick(a, b);
}

/**
 * One day: its Daily Papers, most upvoted first; on a day without any (a new site has only arXiv
 * listings) the papers new on arXiv that day. Shared by `/` and `/papers/date/:day`.
 */
export async function renderDay(ctx: Ctx, day: string, isHome: boolean): Promise<Reply> {
  const db = ctx.app.db;
  const pageNo = pageNumber(ctx.query.page);
  const offset = (pageNo - 1) * PAGE_SIZE;
  const daily = await dailyEntries(db, { from: day, to: day, limit: PAGE_SIZE, offset });
  const listing = daily.total > 0 ? null : await newOnArxiv(db, { from: day, to: day, limit: PAGE_SIZE, offset });
  const newCount = listing ? listing.total : (await newOnArxiv(db, { from: day, to: day, limit: 0, offset: 0 })).total;
  const [d, l] = [await adjacentDailyDays(db, day), await adjacentListingDays(db, day)];
  const prev = nearer(d.prev, l.prev, (x, y) => (x > y ? x : y));
  const next = nearer(d.next, l.next, (x, y) => (x < y ? x : y));
  const dayLinks = [
    ...(prev ? [{ href: `/papers/date/${prev}`, label: longDate(prev) }] : []),
    ...(next ? [{ href: `/papers/date/${next}`, label: longDate(next) }] : []),
  ];
  const shown = daily.total > 0 ? daily : listing!;
  if (shown.total === 0) throw notFound(`There are no papers listed on ${longDate(day)}.`, dayLinks);
  if (shown.items.length === 0)
    throw notFound(`Page ${pageNo} is past the end of ${longDate(day)}'s list.`, [
      { href: `/papers/date/${day}`, label: 'First page' },
    ]);
  const path = isHome ? '/' : `/papers/date/${day}`;
  const body = html`<section class="list-head">
  <h1>${daily.total > 0 ? 'Daily Papers' : 'New on arXiv'}</h1>
  <p class="subtitle">${daily.total > 0 ? 'by the research community' : 'papers announced by arXiv'} · <time datetime="${day}">${longDate(day)}</time></p>
  ${stepNav('Days', prev ? { href: `/papers/date/${prev}`, label: 'Previous day' } : null, next ? { href: `/papers/date/${next}`, label: 'Next day' } : null)}
  <div class="list-tools">
    ${datePicker(day)}
    <span class="ranges"><a href="/papers/week/${isoWeekOf(day)}">This week</a> · <a href="/papers/month/${day.slice(0, 7)}">This month</a></span>
  </div>
  ${tabs([
    ...(daily.total > 0
      ? [{ href: `/papers/date/${day}`, label: `Daily Papers (${daily.total})`, current: true }]
      : []),
    ...(newCount > 0
      ? [{ href: `/papers/new/${day}`, label: `New on arXiv (${newCount})`, current: daily.total === 0 }]
      : []),
  ])}
  ${daily.total === 0 ? html`<p class="muted">No Daily Papers were featured on this day yet; these are the papers new on arXiv.</p>` : ''}
</section>
${cardList(shown.items, await ctx.viewer(), ctx.now)}
${pager(path, ctx.query, pageNo, shown.total)}`;
  return page(ctx, {
    title: isHome ? 'Daily Papers' : `Daily Papers — ${longDate(day)}`,
    description: `Research papers for ${longDate(day)}`,
    canonical: path,
    feed: { title: 'Daily Papers', rss: '/feeds/daily.xml' },
    nav: 'daily',
    body,
  });
}

/** GET /papers/date/:day */
export const dayPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const raw = ctx.params.day ?? '';
  const day = parseDay(raw);
  if (!day) {
    const latest = await latestActivityDay(ctx.app.db);
    throw badRequest(
      `"${raw}" is not a date: use YYYY-MM-DD, e.g. /papers/date/2025-06-06.`,
      'day',
      latest ? [{ href: `/papers/date/${latest}`, label: `Latest day (${longDate(latest)})` }] : [],
    );
  }
  return renderDay(ctx, day, false);
});

/** GET /papers/date?day=YYYY-MM-DD — the date picker's form target. */
export const dayPickerRedirect: Handler = handler({ query: z.object({ day: text() }) }, async (ctx) => {
  const day = parseDay(ctx.query.day ?? '');
  if (!day) throw badRequest(`"${ctx.query.day ?? ''}" is not a date: use YYYY-MM-DD.`, 'day');
  return redirect(`/papers/date/${day}`, 302);
});
