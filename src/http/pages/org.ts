import { notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { findOrganizationByName, organizationPapers } from '../../store/listing-store.js';
import { type Handler, handler } from '../route.js';
import { cardList, orgPath } from '../ui/card.js';
import { PAGE_SIZE, PageParams, pageNumber, pager } from '../ui/components.js';
import { orgAvatarPath } from '../ui/cover.js';
import { page } from '../ui/layout.js';

/** GET /orgs/:name — an organisation's papers, newest first. */
export const orgPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const name = ctx.params.name ?? '';
  const org = await findOrganizationByName(ctx.app.db, name);
  if (!org)
    throw notFound(`There is no organisation named "${name}" here.`, [
      { href: `/papers?q=${encodeURIComponent(name)}`, label: `Search for "${name}"` },
    ]);
  const pageNo = pageNumber(ctx.query.page);
  const list = await organizationPapers(ctx.app.db, org.id, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  if (list.total > 0 && list.items.length === 0)
    throw notFound(`Page ${pageNo} is past the end of this list.`, [{ href: orgPath(name), label: 'First page' }]);
  const label = org.fullname || org.name;
  const feed = `/feeds/orgs/${encodeURIComponent(org.name)}.xml`;
  const body = html`<section class="list-head">
  <h1><img class="org-avatar big" src="${orgAvatarPath(org.name)}" alt="" width="36" height="36"> ${label}</h1>
  <p class="subtitle">${org.name} · ${list.total} ${list.total === 1 ? 'paper' : 'papers'} · <a href="/papers?org=${encodeURIComponent(org.name)}">Search within</a> · <a href="${orgPath(org.name)}/members">Members</a> · <a href="/orgs">All organisations</a></p>
</section>
${list.total === 0 ? html`<p class="empty">No papers yet.</p>` : cardList(list.items, await ctx.viewer(), ctx.now)}
${pager(orgPath(name), ctx.query, pageNo, list.total)}`;
  // Newest first: a vote changes these papers' counts, never which papers are here.
  return page(ctx, {
    papers: list.items.map((p) => p.id),
    title: label,
    canonical: orgPath(org.name),
    nav: 'none',
    feed: { title: `${label} papers`, rss: feed },
    body,
  });
});
