import { z } from 'zod';
import { badRequest, notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { longDate, parseDay } from '../../model/dates.js';
import { adjacentListingDays, latestListingDay, listingCategories, newOnArxiv } from '../../store/listing-store.js';
import { text } from '../params.js';
import { type Handler, handler } from '../route.js';
import { cardList } from '../ui/card.js';
import { PAGE_SIZE, pageNumber, pager, stepNav } from '../ui/components.js';
import { page } from '../ui/layout.js';

const CATEGORY_RE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** GET /papers/new and /papers/new/:day?category= — the papers new on arXiv that day, by category. */
export const newOnArxivPage: Handler = handler({ query: z.object({ category: text(), page: text() }) }, async (ctx) => {
  const db = ctx.app.db;
  let day: string | null;
  if (ctx.params.day !== undefined) {
    day = parseDay(ctx.params.day);
    if (!day) throw badRequest(`"${ctx.params.day}" is not a date: use YYYY-MM-DD.`, 'day');
  } else day = await latestListingDay(db);
  if (!day) throw notFound('No arXiv listings have been imported yet.', [{ href: '/', label: 'Home' }]);
  const category = ctx.query.category || undefined;
  if (category && !CATEGORY_RE.test(category))
    throw badRequest(`"${category}" is not an arXiv category such as cs.CL.`, 'category');
  const pageNo = pageNumber(ctx.query.page);
  const list = await newOnArxiv(db, {
    from: day,
    to: day,
    category,
    limit: PAGE_SIZE,
    offset: (pageNo - 1) * PAGE_SIZE,
  });
  const cats = await listingCategories(db, day);
  const adj = await adjacentListingDays(db, day);
  const links = [
    ...(adj.prev ? [{ href: `/papers/new/${adj.prev}`, label: longDate(adj.prev) }] : []),
    ...(adj.next ? [{ href: `/papers/new/${adj.next}`, label: longDate(adj.next) }] : []),
  ];
  if (list.total === 0 && !category) throw notFound(`Nothing was new on arXiv on ${longDate(day)}.`, links);
  if (list.total > 0 && list.items.length === 0)
    throw notFound(`Page ${pageNo} is past the end of this list.`, [
      { href: `/papers/new/${day}`, label: 'First page' },
    ]);
  const path = `/papers/new/${day}`;
  const body = html`<section class="list-head">
  <h1>New on arXiv</h1>
  <p class="subtitle"><time datetime="${day}">${longDate(day)}</time> · ${list.total} papers${category ? html` in <strong>${category}</strong>` : ''}</p>
  ${stepNav('Days', adj.prev ? { href: `/papers/new/${adj.prev}`, label: 'Previous day' } : null, adj.next ? { href: `/papers/new/${adj.next}`, label: 'Next day' } : null)}
  <form class="filters" action="${path}" method="get">
    <label for="cat">Category</label>
    <select id="cat" name="category" data-autosubmit>
      <option value="">All categories</option>
      ${cats.map((c) => html`<option value="${c.category}"${c.category === category ? html` selected` : ''}>${c.category} (${c.count})</option>`)}
    </select>
    <button type="submit">Filter</button>
  </form>
  <p><a href="/papers/date/${day}">Daily Papers for this day</a></p>
</section>
${list.total === 0 ? html`<p class="empty">No new papers in ${category ?? ''} on this day.</p>` : cardList(list.items, await ctx.viewer(), ctx.now)}
${pager(path, ctx.query, pageNo, list.total)}`;
  // In the listing's order: a vote changes these papers' counts, never which papers are here.
  return page(ctx, {
    papers: list.items.map((p) => p.id),
    title: `New on arXiv — ${longDate(day)}`,
    canonical: path,
    nav: 'new',
    feed: { title: 'Daily Papers', rss: '/feeds/daily.xml' },
    body,
  });
});
