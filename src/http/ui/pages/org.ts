import { html } from '../../../lib/html-template.js';
import { findOrganizationByName, organizationPapers } from '../../../store/listing-store.js';
import { notFound } from '../../errors.js';
import { cardList, orgPath } from '../card.js';
import { PAGE_SIZE, pageNumber, pager } from '../components.js';
import { layout } from '../layout.js';
import { type PageHandler, pageHtml } from '../page.js';

/** GET /orgs/:name — an organisation's papers, newest first. */
export const orgPage: PageHandler = async (ctx) => {
  const name = ctx.params.name ?? '';
  const org = await findOrganizationByName(ctx.app.db, name);
  if (!org)
    throw notFound(`There is no organisation named "${name}" here.`, [
      { href: `/papers?q=${encodeURIComponent(name)}`, label: `Search for "${name}"` },
    ]);
  const page = pageNumber(ctx.query.page);
  const list = await organizationPapers(ctx.app.db, org.id, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  if (list.total > 0 && list.items.length === 0)
    throw notFound(`Page ${page} is past the end of this list.`, [{ href: orgPath(name), label: 'First page' }]);
  const label = org.fullname || org.name;
  const feed = `/feeds/orgs/${encodeURIComponent(org.name)}.xml`;
  const body = html`<section class="list-head">
  <h1><span class="org-avatar big" aria-hidden="true">${label.slice(0, 1).toUpperCase()}</span> ${label}</h1>
  <p class="subtitle">${org.name} · ${list.total} ${list.total === 1 ? 'paper' : 'papers'} · <a href="/papers?org=${encodeURIComponent(org.name)}">Search within</a> · <a href="${orgPath(org.name)}/members">Members</a></p>
</section>
${list.total === 0 ? html`<p class="empty">No papers yet.</p>` : cardList(list.items, ctx.view, ctx.now)}
${pager(orgPath(name), ctx.query, page, list.total)}`;
  return pageHtml(
    layout({
      title: label,
      canonical: orgPath(org.name),
      nav: 'none',
      feed: { title: `${label} papers`, rss: feed },
      userMenu: ctx.view.userMenu(),
      body,
    }),
  );
};
