import { html, type SafeHtml } from '../../lib/html-template.js';
import { type Ctx, htmlReply, type Reply } from '../route.js';
import type { Viewer } from '../viewer.js';
import { favicon, siteCss, siteJs } from './assets.js';
import { userMenu } from './user-menu.js';

export interface FeedLink {
  title: string;
  /** Path of an RSS 2.0 feed; the Atom twin is the same path ending in .atom. */
  rss: string;
}

export interface LayoutOptions {
  title: string;
  description?: string;
  /** Canonical path of the page, e.g. /papers/2501.01234. */
  canonical?: string;
  feed?: FeedLink;
  /** Which top navigation entry is current. */
  nav?: 'daily' | 'trending' | 'new' | 'search' | 'none';
  /** The search box's current query. */
  q?: string;
  /** A notice at the top of the page (the outcome of a form). */
  flash?: Flash;
  body: SafeHtml;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
  link?: string;
}

const SITE_NAME = 'paperboy';

function navLink(href: string, label: string, current: boolean): SafeHtml {
  return html`<a href="${href}"${current ? html` aria-current="page"` : ''}>${label}</a>`;
}

function flashBox(f: Flash): SafeHtml {
  return html`<p class="flash ${f.kind}" role="${f.kind === 'error' ? 'alert' : 'status'}">${f.text}${f.link ? html` <a href="${f.link}">${f.link}</a>` : ''}</p>`;
}

/**
 * A page in the site's one layout, for the reader `c` is answering.
 *
 * @example
 * return page(c, { title: 'Settings', body: html`<h1>Settings</h1>…` });
 */
export async function page(
  c: Ctx<unknown, unknown>,
  o: LayoutOptions & { status?: number; headers?: Record<string, string>; papers?: readonly number[] },
): Promise<Reply> {
  const r = htmlReply(layout(o, await c.viewer()), o.status ?? 200, o.headers);
  return o.papers ? { ...r, papers: o.papers } : r;
}

/** The page shell: header with navigation, search and the user menu, the subscribe form, footer. */
export function layout(o: LayoutOptions, viewer: Viewer): SafeHtml {
  const atom = o.feed ? o.feed.rss.replace(/\.xml(\?|$)/, '.atom$1') : null;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title} · ${SITE_NAME}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
${o.canonical ? html`<link rel="canonical" href="${o.canonical}">` : ''}
${
  o.feed
    ? html`<link rel="alternate" type="application/rss+xml" title="${o.feed.title} (RSS)" href="${o.feed.rss}">
<link rel="alternate" type="application/atom+xml" title="${o.feed.title} (Atom)" href="${atom}">`
    : ''
}
<link rel="icon" type="image/svg+xml" href="${favicon.url}">
<link rel="stylesheet" href="${siteCss.url}">
<script src="${siteJs.url}" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header">
  <div class="bar">
    <a class="brand" href="/"><span class="logo" aria-hidden="true">pb</span> ${SITE_NAME}</a>
    <nav aria-label="Main">
      ${navLink('/', 'Daily', o.nav === 'daily')}
      ${navLink('/papers/trending', 'Trending', o.nav === 'trending')}
      ${navLink('/papers/new', 'New on arXiv', o.nav === 'new')}
    </nav>
    <form class="search" role="search" action="/papers" method="get">
      <label class="sr-only" for="site-q">Search papers</label>
      <input id="site-q" type="search" name="q" placeholder="Search papers" value="${o.q ?? ''}">
    </form>
    <div class="user-menu">${userMenu(viewer)}</div>
  </div>
</header>
<aside class="subscribe" aria-label="Email digest">
  <form method="post" action="/subscribe">
    <label for="subscribe-email">Get trending papers in your email inbox!</label>
    <span class="subscribe-row"><input id="subscribe-email" type="email" name="email" required placeholder="you@example.org" autocomplete="email"><button type="submit">Subscribe</button></span>
  </form>
</aside>
<main id="main">
${o.flash ? flashBox(o.flash) : ''}${o.body}
</main>
<footer class="site-footer">
  <p>${SITE_NAME} — an open-source Daily Papers site. ${o.feed ? html`<a href="${o.feed.rss}">RSS</a> · <a href="${atom}">Atom</a> · ` : ''}<a href="/openapi.json">API</a></p>
</footer>
</body>
</html>
`;
}

/** A community page (forms, settings, profiles, moderation): the layout's narrow column, never cached. */
export function communityPage(
  c: Ctx<unknown, unknown>,
  title: string,
  body: SafeHtml,
  o: { status?: number; flash?: Flash } = {},
): Promise<Reply> {
  return page(c, { title, nav: 'none', body: html`<div class="community">${body}</div>`, ...o });
}
