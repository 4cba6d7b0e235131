import type { App } from '../../app.js';
import { AppError } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { authorVariants, surnameKey } from '../../model/author-names.js';
import { authorKey } from '../../recs/model.js';
import { hasTextSignal, MAX_SIGNAL_TEXT } from '../../services/recommendations.js';
import { authorSpellings } from '../../store/author-store.js';
import { papersByAuthorNames } from '../../store/listing-store.js';
import { type Handler, handler } from '../route.js';
import { cardList } from '../ui/card.js';
import { PAGE_SIZE, PageParams, pageNumber, pager } from '../ui/components.js';
import { csrfField } from '../ui/forms.js';
import { page } from '../ui/layout.js';

export function authorPath(name: string): string {
  return `/authors/${encodeURIComponent(name)}`;
}

/** The requested name, or a 400 naming `name` when it cannot be an author's. */
export function authorNameParam(raw: string | undefined): string {
  const name = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (!surnameKey(name) || name.length > MAX_SIGNAL_TEXT)
    throw new AppError('invalid', `An author's name has letters and at most ${MAX_SIGNAL_TEXT} characters.`, {
      parameter: 'name',
    });
  return name;
}

/** The spellings taken as this author (always including the one asked for), and the names not merged. */
export async function authorNames(app: App, name: string) {
  const v = authorVariants(name, await authorSpellings(app.db, surnameKey(name)));
  return { ...v, names: v.names.length > 0 ? v.names : [name] };
}

/** GET /authors/:name — an author's papers, newest first, name variants merged (model/author-names.ts). */
export const authorPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const asked = authorNameParam(ctx.params.name);
  const pageNo = pageNumber(ctx.query.page);
  const v = await authorNames(ctx.app, asked);
  const list = await papersByAuthorNames(ctx.app.db, v.names, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  if (list.total > 0 && list.items.length === 0)
    throw new AppError('not_found', `Page ${pageNo} is past the end of this list.`);
  const display = v.names[0]!;
  const others = v.names.filter((n) => n !== display);
  const viewer = await ctx.viewer();
  const following = await hasTextSignal(ctx.app, ctx.actor, 'follow_author', display);
  const feed = `/feeds/authors/${encodeURIComponent(display)}`;
  const follow =
    viewer.actor.kind !== 'user'
      ? html`<a href="/login">Sign in to follow</a>`
      : following
        ? html`<form method="post" action="/for-you/signals/remove" class="inline">${csrfField(viewer.csrf)}<input type="hidden" name="kind" value="follow_author"><input type="hidden" name="back" value="author"><input type="hidden" name="value" value="${authorKey(display)}"><button type="submit">Following ✓ — unfollow</button></form>`
        : html`<form method="post" action="/for-you/signals" class="inline">${csrfField(viewer.csrf)}<input type="hidden" name="kind" value="follow_author"><input type="hidden" name="back" value="author"><input type="hidden" name="value" value="${display}"><button type="submit">Follow</button></form>`;
  const body = html`<section class="list-head">
  <h1>${display}</h1>
  <p class="subtitle">${list.total} ${list.total === 1 ? 'paper' : 'papers'}${others.length > 0 ? html` · also listed as ${others.join(', ')}` : ''} · <a href="${feed}.xml">RSS</a> · <a href="${feed}.atom">Atom</a> · ${follow}</p>
  ${
    v.ambiguous.length > 0
      ? html`<p class="note">Several people may be listed as “${asked}”; these are not merged: ${v.ambiguous.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="${authorPath(n)}">${n}</a>`)}.</p>`
      : ''
  }
</section>
${list.total === 0 ? html`<p class="empty">No papers listed under this name yet. Follow, and new ones appear in <a href="/for-you">For you</a>.</p>` : cardList(list.items, viewer, ctx.now)}
${pager(authorPath(asked), ctx.query, pageNo, list.total)}`;
  return page(ctx, {
    papers: list.items.map((p) => p.id),
    title: display,
    canonical: authorPath(display),
    nav: 'none',
    feed: { title: `Papers by ${display}`, rss: `${feed}.xml` },
    body,
  });
});
