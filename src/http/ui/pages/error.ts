import { html } from '../../../lib/html-template.js';
import { layout } from '../layout.js';
import type { ViewHooks } from '../view-hooks.js';

const TITLES: Record<number, string> = {
  400: 'That address is not quite right',
  404: 'Not found',
  500: 'Something went wrong',
};

/** The 400 / 404 / 500 page: what happened, and where to go next. */
export function errorPage(
  status: number,
  message: string,
  links: Array<{ href: string; label: string }>,
  view: ViewHooks,
) {
  const body = html`<section class="error-page">
  <p class="status">${status}</p>
  <h1>${TITLES[status] ?? 'Error'}</h1>
  <p>${message}</p>
  <ul class="next-steps">
    ${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
    <li><a href="/">Today's papers</a></li>
    <li><a href="/papers">Search papers</a></li>
  </ul>
</section>`;
  return layout({ title: TITLES[status] ?? 'Error', nav: 'none', userMenu: view.userMenu(), body });
}
