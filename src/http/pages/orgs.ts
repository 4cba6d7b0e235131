import { notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { organisationsByPapers } from '../../store/listing-store.js';
import { type Handler, handler } from '../route.js';
import { orgPath } from '../ui/card.js';
import { PAGE_SIZE, PageParams, pageNumber, pager } from '../ui/components.js';
import { orgAvatarPath } from '../ui/cover.js';
import { page } from '../ui/layout.js';

/** GET /orgs — every organisation, most papers first, each linking to its page. */
export const orgsPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const pageNo = pageNumber(ctx.query.page);
  const list = await organisationsByPapers(ctx.app.db, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  if (list.total > 0 && list.items.length === 0)
    throw notFound(`Page ${pageNo} is past the end of this list.`, [{ href: '/orgs', label: 'First page' }]);
  const body = html`<section class="list-head">
  <h1>Organisations</h1>
  <p class="subtitle">${list.total} ${list.total === 1 ? 'organisation' : 'organisations'}, most papers first</p>
</section>
${
  list.total === 0
    ? html`<p class="empty">No organisations yet. They come with imported Daily Papers, or a curator adds one.</p>`
    : html`<ul class="org-grid">${list.items.map(
        (o) =>
          html`<li><a href="${orgPath(o.name)}"><img class="org-avatar big" src="${orgAvatarPath(o.name)}" alt="" width="36" height="36" loading="lazy"><span class="org-names"><strong>${o.fullname || o.name}</strong><span class="muted">${o.name} · ${o.papers} ${o.papers === 1 ? 'paper' : 'papers'}</span></span></a></li>`,
      )}</ul>`
}
${pager('/orgs', ctx.query, pageNo, list.total)}`;
  // Counts move with imports and featured days, so this page depends on everything (no paper list).
  return page(ctx, { title: 'Organisations', canonical: '/orgs', nav: 'none', body });
});
