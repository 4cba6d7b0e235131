import { type HtmlValue, html, type SafeHtml } from '../../../lib/html-template.js';
import { layout } from '../layout.js';
import { defaultViewHooks, type ViewHooks } from '../view-hooks.js';

/**
 * The frame of the subscription pages (reached from mail, often on a phone): the site layout with
 * one narrow panel. No script is needed; every form is a plain POST.
 */
export function subscriptionShell(title: string, body: SafeHtml, view: ViewHooks = defaultViewHooks): string {
  return layout({
    title,
    nav: 'none',
    userMenu: view.userMenu(),
    body: html`<section class="subscription-page">${body}</section>`,
  }).value;
}

/** A page that only says something (subscribed, confirmed, bad link…). */
export function messagePage(title: string, paragraphs: HtmlValue[], view?: ViewHooks): string {
  return subscriptionShell(
    title,
    html`<h1>${title}</h1>
${paragraphs.map((p) => html`<p>${p}</p>`)}`,
    view,
  );
}
