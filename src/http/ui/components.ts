import { z } from 'zod';
import { badRequest } from '../../lib/app-error.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { text } from '../params.js';

/** Cards per page on every list page (the seed page shows a few dozen). */
export const PAGE_SIZE = 30;
/** Pages past this are refused: nobody reads them, and deep OFFSETs cost the database. */
const MAX_PAGE = 1000;

/** The query of a list page: only its page number. */
export const PageParams = z.object({ page: text() });

/** The 1-based `?page=` of a list, or a 400 naming the parameter. */
export function pageNumber(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 1;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE) {
    throw badRequest(`The page number "${raw}" is not valid: use a whole number from 1 to ${MAX_PAGE}.`, 'page');
  }
  return Number(raw);
}

/** A URL with some query parameters replaced (empty values dropped), for pagers and filters. */
export function withQuery(
  path: string,
  query: Record<string, string | undefined>,
  changes: Record<string, string | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...changes })) if (v !== undefined && v !== '') params.set(k, v);
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export function pager(path: string, query: Record<string, string | undefined>, page: number, total: number): SafeHtml {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  if (pages <= 1) return html``;
  return html`<nav class="pager" aria-label="Pages">
  ${page > 1 ? html`<a rel="prev" href="${withQuery(path, query, { page: page === 2 ? undefined : String(page - 1) })}">← Previous</a>` : html`<span></span>`}
  <span>Page ${page} of ${pages}</span>
  ${page < pages ? html`<a rel="next" href="${withQuery(path, query, { page: String(page + 1) })}">Next →</a>` : html`<span></span>`}
</nav>`;
}

/** Previous / next links between days, weeks or months, with the current one in the middle. */
export function stepNav(
  label: string,
  prev: { href: string; label: string } | null,
  next: { href: string; label: string } | null,
): SafeHtml {
  return html`<nav class="step" aria-label="${label}">
  ${prev ? html`<a rel="prev" href="${prev.href}">← ${prev.label}</a>` : html`<span></span>`}
  ${next ? html`<a rel="next" href="${next.href}">${next.label} →</a>` : html`<span></span>`}
</nav>`;
}

export function tabs(items: Array<{ href: string; label: string; current: boolean }>): SafeHtml {
  return html`<nav class="tabs" aria-label="Lists">${items.map(
    (t) => html`<a href="${t.href}"${t.current ? html` aria-current="page"` : ''}>${t.label}</a>`,
  )}</nav>`;
}

/** The date picker: a plain GET form that works without JavaScript (site.js submits on change). */
export function datePicker(day: string | null): SafeHtml {
  return html`<form class="date-picker" action="/papers/date" method="get">
  <label for="pick-day">Go to day</label>
  <input id="pick-day" type="date" name="day" value="${day ?? ''}" required>
  <button type="submit">Go</button>
</form>`;
}
