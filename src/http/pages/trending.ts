import { html } from '../../lib/html-template.js';
import { HALF_LIFE_HOURS, WINDOW_DAYS } from '../../model/trending.js';
import { trendingPapers } from '../../services/trending.js';
import { type Handler, handler } from '../route.js';
import { cardList } from '../ui/card.js';
import { page } from '../ui/layout.js';

/** Papers on the trending page. */
const TRENDING_PAGE_SIZE = 50;

/** GET /papers/trending */
export const trendingPage: Handler = handler({}, async (ctx) => {
  const { items, asOf } = await trendingPapers(ctx.app, ctx.now, TRENDING_PAGE_SIZE);
  const stale = asOf.getTime() !== ctx.now.getTime();
  const body = html`<section class="list-head">
  <h1>Trending papers</h1>
  <p class="subtitle">Upvotes, comments and released code over the last ${WINDOW_DAYS} days, halving every ${HALF_LIFE_HOURS} hours${stale ? html` · as of <time datetime="${asOf.toISOString()}">${asOf.toISOString().slice(0, 10)}</time>, when papers last arrived` : ''}.</p>
</section>
${
  items.length === 0
    ? html`<p class="empty">Nothing is trending yet.</p>`
    : cardList(
        items.map((i) => i.card),
        await ctx.viewer(),
        ctx.now,
      )
}`;
  return page(ctx, {
    title: 'Trending papers',
    canonical: '/papers/trending',
    nav: 'trending',
    feed: { title: 'Trending papers', rss: '/feeds/trending.xml' },
    body,
  });
});
