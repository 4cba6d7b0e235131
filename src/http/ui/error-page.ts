import type { App } from '../../app.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import type { Viewer } from '../viewer.js';
import { layout } from './layout.js';

const TITLES: Record<number, string> = {
  400: 'That address is not quite right',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Already there',
  429: 'Slow down',
  500: 'Something went wrong',
  503: 'Busy right now',
};

/** Every error page: what happened, and where to go next. */
export function errorPage(
  _app: App,
  status: number,
  message: string,
  links: Array<{ href: string; label: string }>,
  viewer: Viewer,
  requestId?: string,
): SafeHtml {
  const title = TITLES[status] ?? 'Error';
  const body = html`<section class="error-page">
  <p class="status">${status}</p>
  <h1>${title}</h1>
  <p>${message}</p>
  ${requestId ? html`<p class="request-id">Request id: <code>${requestId}</code> (quote it when you report this)</p>` : ''}
  <ul class="next-steps">
    ${links.map((l) => html`<li><a href="${l.href}">${l.label}</a></li>`)}
    <li><a href="/">Today's papers</a></li>
    <li><a href="/papers">Search papers</a></li>
  </ul>
</section>`;
  return layout({ title, nav: 'none', body }, viewer);
}
