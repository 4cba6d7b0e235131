import { html } from '../../lib/html-template.js';
import { latestActivityDay, latestDailyDay, newestPapers } from '../../store/listing-store.js';
import { type Handler, handler } from '../route.js';
import { cardList } from '../ui/card.js';
import { PAGE_SIZE, PageParams } from '../ui/components.js';
import { page } from '../ui/layout.js';
import { renderDay } from './day.js';

/**
 * GET / — the latest day that has Daily Papers; on a site with no curated entries yet, the
 * latest arXiv listing day; on a site with papers but no lists at all, the newest papers.
 */
export const homePage: Handler = handler({ query: PageParams }, async (ctx) => {
  const day = (await latestDailyDay(ctx.app.db)) ?? (await latestActivityDay(ctx.app.db));
  if (day) return renderDay(ctx, day, true);
  const papers = await newestPapers(ctx.app.db, PAGE_SIZE);
  const body = html`<section class="list-head"><h1>Newest papers</h1></section>
${papers.length > 0 ? cardList(papers, await ctx.viewer(), ctx.now) : html`<p class="empty">No papers yet. Import some with <code>paperboy import</code>.</p>`}`;
  return page(ctx, {
    title: 'Daily Papers',
    canonical: '/',
    nav: 'daily',
    feed: { title: 'Daily Papers', rss: '/feeds/daily.xml' },
    body,
  });
});
