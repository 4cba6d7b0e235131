import { escapeHtml as e } from '../../lib/html.js';
import { html, type SafeHtml, unsafeRaw } from '../../lib/html-template.js';
import { CSRF_FIELD } from '../community/request-context.js';
import { layout } from './layout.js';

/** The community pages (accounts, settings, profiles, moderation) inside the site's layout. */
export interface PageFrame {
  title: string;
  userMenu: SafeHtml;
  /** Markup built by the community page modules, every dynamic value escaped there. */
  body: string;
  /** A notice shown at the top (plain text; escaped here). */
  flash?: { kind: 'ok' | 'error'; text: string; link?: string };
}

/** A hidden CSRF field for forms. */
export function csrfInput(csrf: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${e(csrf)}">`;
}

export function communityPage(p: PageFrame): string {
  const flash = p.flash
    ? `<p class="flash ${p.flash.kind}" role="${p.flash.kind === 'error' ? 'alert' : 'status'}">${e(p.flash.text)}${p.flash.link ? ` <a href="${e(p.flash.link)}">${e(p.flash.link)}</a>` : ''}</p>`
    : '';
  return layout({
    title: p.title,
    nav: 'none',
    userMenu: p.userMenu,
    body: html`<div class="community">${unsafeRaw(flash + p.body)}</div>`,
  }).value;
}
