import { notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import type { DayRange } from '../../model/dates.js';
import { dailyEntries, newOnArxiv } from '../../store/listing-store.js';
import type { Ctx, Reply } from '../route.js';
import { cardList } from '../ui/card.js';
import { datePicker, PAGE_SIZE, pageNumber, pager, stepNav } from '../ui/components.js';
import { page } from '../ui/layout.js';

export interface RangeView {
  range: DayRange;
  /** "Week 23, 2025" or "June 2025". */
  label: string;
  path: string;
  prev: string;
  next: string;
  unit: 'week' | 'month';
}

/** A week's or a month's Daily Papers, most upvoted first (New on arXiv when it had none). */
export async function renderRange(ctx: Ctx, v: RangeView): Promise<Reply> {
  const pageNo = pageNumber(ctx.query.page);
  const offset = (pageNo - 1) * PAGE_SIZE;
  const db = ctx.app.db;
  let list = await dailyEntries(db, { from: v.range.from, to: v.range.to, limit: PAGE_SIZE, offset });
  const curated = list.total > 0;
  if (!curated) list = await newOnArxiv(db, { from: v.range.from, to: v.range.to, limit: PAGE_SIZE, offset });
  const nav = stepNav(
    v.unit === 'week' ? 'Weeks' : 'Months',
    { href: v.prev, label: `Previous ${v.unit}` },
    { href: v.next, label: `Next ${v.unit}` },
  );
  if (list.total > 0 && list.items.length === 0)
    throw notFound(`Page ${pageNo} is past the end of this ${v.unit}'s list.`, [{ href: v.path, label: 'First page' }]);
  const body = html`<section class="list-head">
  <h1>Daily Papers — ${v.label}</h1>
  <p class="subtitle"><time datetime="${v.range.from}">${v.range.from}</time> to <time datetime="${v.range.to}">${v.range.to}</time> · ${list.total} papers${curated ? '' : ' new on arXiv (no Daily Papers were featured)'}</p>
  ${nav}
  <div class="list-tools">${datePicker(null)}</div>
</section>
${list.total === 0 ? html`<p class="empty">No papers were listed in this ${v.unit}.</p>` : cardList(list.items, await ctx.viewer(), ctx.now)}
${pager(v.path, ctx.query, pageNo, list.total)}`;
  return page(ctx, {
    title: `Daily Papers — ${v.label}`,
    canonical: v.path,
    nav: 'daily',
    feed: { title: 'Daily Papers', rss: '/feeds/daily.xml' },
    body,
  });
}
