import { z } from 'zod';
import { badRequest, notFound } from '../../lib/app-error.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { highlightText } from '../../lib/tex.js';
import { parseDay } from '../../model/dates.js';
import { type SearchFilters, type SearchMode, searchPapers } from '../../services/search.js';
import { type PaperCard, papersByIds } from '../../store/listing-store.js';
import { text } from '../params.js';
import { type Handler, handler } from '../route.js';
import { paperCard } from '../ui/card.js';
import { PAGE_SIZE, pageNumber, pager, withQuery } from '../ui/components.js';
import { page } from '../ui/layout.js';

/** Longest query accepted; longer ones are typing accidents or abuse. */
export const MAX_QUERY_CHARS = 300;
const CATEGORY_RE = /^[a-z-]+(\.[A-Za-z-]+)?$/;

export interface ParsedSearch {
  q: string;
  filters: SearchFilters;
  /** Absent: the engine's default. */
  mode?: SearchMode;
}

const MODES: SearchMode[] = ['hybrid', 'keyword', 'semantic'];

/** The search parameters shared by the page, the API and the search feed; 400 naming a bad one. */
export function parseSearchQuery(query: Record<string, string | undefined>): ParsedSearch {
  const q = (query.q ?? '').trim();
  if (q.length > MAX_QUERY_CHARS)
    throw badRequest(`The query is too long: at most ${MAX_QUERY_CHARS} characters.`, 'q');
  const filters: SearchFilters = {};
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v) {
      if (!parseDay(v)) throw badRequest(`"${v}" is not a date: use YYYY-MM-DD.`, key);
      filters[key === 'from' ? 'after' : 'before'] = v;
    }
  }
  if (filters.after && filters.before && filters.after > filters.before)
    throw badRequest('The start date is after the end date.', 'from');
  if (query.category) {
    if (!CATEGORY_RE.test(query.category))
      throw badRequest(`"${query.category}" is not an arXiv category such as cs.CL.`, 'category');
    filters.category = query.category;
  }
  if (query.org) filters.org = query.org;
  if (query.code !== undefined && query.code !== '') {
    if (query.code !== '1' && query.code !== '0')
      throw badRequest('"code" must be 1 (only papers with code) or 0.', 'code');
    if (query.code === '1') filters.hasCode = true;
  }
  let mode: SearchMode | undefined;
  if (query.mode) {
    if (!MODES.includes(query.mode as SearchMode))
      throw badRequest(`"${query.mode}" is not a search mode: use hybrid, keyword or semantic.`, 'mode');
    mode = query.mode as SearchMode;
  }
  return { q, filters, mode };
}

/** A parsed search as the query string that asks for it again (links between page and feed). */
export function searchQueryParams({ q, filters, mode }: ParsedSearch): Record<string, string | undefined> {
  return {
    q,
    from: filters.after,
    to: filters.before,
    category: filters.category,
    org: filters.org,
    code: filters.hasCode ? '1' : undefined,
    mode,
  };
}

/** The parameters of the search page and the search feed. */
export const SearchParams = z.object({
  q: text(),
  from: text(),
  to: text(),
  category: text(),
  org: text(),
  code: text(),
  mode: text(),
  page: text(),
});

/** GET /papers?q=&from=&to=&category=&org=&code=1&page= */
export const searchPage: Handler = handler({ query: SearchParams }, async (ctx) => {
  const parsed = parseSearchQuery(ctx.query);
  const { q, filters, mode } = parsed;
  const pageNo = pageNumber(ctx.query.page);
  const active = q !== '' || Object.keys(filters).length > 0;
  let results: SafeHtml = html``;
  let notes: string[] = [];
  let shown: number[] = [];
  if (active) {
    const res = await searchPapers(ctx.app, { q, filters, mode, limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE });
    notes = res.notes;
    if (res.total > 0 && res.hits.length === 0)
      throw notFound(`Page ${pageNo} is past the last page of results.`, [
        { href: withQuery('/papers', ctx.query, { page: undefined }), label: 'First page of results' },
      ]);
    const cards = await papersByIds(
      ctx.app.db,
      res.hits.map((h) => h.paperId),
    );
    const byId = new Map(res.hits.map((h) => [h.paperId, h]));
    shown = cards.map((c) => c.id);
    const viewer = await ctx.viewer();
    const withHighlights = (c: PaperCard) => {
      const h = byId.get(c.id)?.highlights;
      return paperCard(c, viewer, ctx.now, {
        title: h?.title ? highlightText(h.title) : undefined,
        abstract: h?.abstract ? highlightText(h.abstract) : undefined,
      });
    };
    results = html`<p class="result-count" role="status">${res.totalIsEstimate ? 'About ' : ''}${res.total} ${res.total === 1 ? 'paper' : 'papers'}${q ? html` for “${q}”` : ''}</p>
${notes.map((n) => html`<p class="note">${n}</p>`)}
${cards.length > 0 ? html`<div class="cards">${cards.map(withHighlights)}</div>` : html`<p class="empty">No papers match. Try fewer words or remove a filter.</p>`}
${pager('/papers', ctx.query, pageNo, res.total)}`;
  }
  const filterCount = [
    ctx.query.from,
    ctx.query.to,
    filters.category,
    filters.org,
    mode,
    filters.hasCode ? '1' : '',
  ].filter((v) => v !== undefined && v !== '').length;
  const body = html`<section class="list-head search-head">
  <h1>Search papers</h1>
  <form class="search-form" action="/papers" method="get" role="search">
    <div class="search-main"><label class="sr-only" for="q">Words, "a phrase", an author or an arXiv id</label><input id="q" type="search" name="q" value="${q}" placeholder='Words, "a phrase", an author or an arXiv id'><button type="submit" class="primary">Search</button></div>
    <details class="search-filters"${filterCount > 0 ? html` open` : ''}><summary>Filters${filterCount > 0 ? ` (${filterCount})` : ''}</summary>
    <div class="filter-fields">
    <div class="field"><label for="from">Published from</label><input id="from" type="date" name="from" value="${ctx.query.from ?? ''}"></div>
    <div class="field"><label for="to">to</label><input id="to" type="date" name="to" value="${ctx.query.to ?? ''}"></div>
    <div class="field"><label for="category">Category</label><input id="category" name="category" placeholder="cs.CL" value="${filters.category ?? ''}"></div>
    <div class="field"><label for="org">Organisation</label><input id="org" name="org" placeholder="apple" value="${filters.org ?? ''}"></div>
    <div class="field"><label for="mode">Match</label><select id="mode" name="mode">
      <option value=""${!mode ? html` selected` : ''}>Words and meaning</option>
      <option value="keyword"${mode === 'keyword' ? html` selected` : ''}>Exact words</option>
      <option value="semantic"${mode === 'semantic' ? html` selected` : ''}>Meaning only</option>
    </select></div>
    <div class="field check"><input id="code" type="checkbox" name="code" value="1"${filters.hasCode ? html` checked` : ''}><label for="code">Has code</label></div>
    </div>
    </details>
  </form>
</section>
${active ? results : html`<p class="muted">Search titles and abstracts of every paper on this site.</p>`}`;
  // Ranked by relevance: a vote changes these papers' counts, never which papers match.
  return page(ctx, {
    papers: shown,
    title: q ? `${q} — search` : 'Search papers',
    canonical: withQuery('/papers', ctx.query, {}),
    nav: 'search',
    q,
    feed: active
      ? {
          title: `Search: ${q}`,
          rss: withQuery('/feeds/search.xml', searchQueryParams(parsed), {}),
        }
      : undefined,
    body,
  });
});
