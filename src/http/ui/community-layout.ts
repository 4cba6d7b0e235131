import { escapeHtml as e } from '../../lib/html.js';
import type { Actor } from '../../model/actor.js';
import { isModerator } from '../../model/actor.js';
import { CSRF_FIELD } from '../community/request-context.js';

/**
 * A minimal page frame for the community pages, until they move onto the site's layout
 * (the lead reconciles: `communityPage` is the one place to swap).
 */
export interface PageFrame {
  title: string;
  actor: Actor;
  csrf: string;
  body: string;
  /** A notice shown at the top (already plain text; escaped here). */
  flash?: { kind: 'ok' | 'error'; text: string; link?: string };
}

/** A hidden CSRF field for forms. */
export function csrfInput(csrf: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${e(csrf)}">`;
}

export function communityPage(p: PageFrame): string {
  const me = p.actor.kind === 'user' ? p.actor : null;
  const nav = me
    ? `<a href="/users/${e(me.username)}">${e(me.username)}</a> · <a href="/saved">Saved</a> · <a href="/settings">Settings</a>${isModerator(me) ? ' · <a href="/moderation">Moderation</a>' : ''}
       <form method="post" action="/logout" class="inline">${csrfInput(p.csrf)}<button type="submit">Log out</button></form>`
    : `<a href="/login">Log in</a> · <a href="/signup">Sign up</a>`;
  const flash = p.flash
    ? `<p class="flash ${p.flash.kind}" role="${p.flash.kind === 'error' ? 'alert' : 'status'}">${e(p.flash.text)}${p.flash.link ? ` <a href="${e(p.flash.link)}">${e(p.flash.link)}</a>` : ''}</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(p.title)} · paperboy</title><link rel="stylesheet" href="/static/community.css"><script src="/static/community.js" defer></script></head>
<body><header><a href="/" class="brand">paperboy</a> <a href="/submit">Submit</a> <nav>${nav}</nav></header>
<main>${flash}${p.body}</main>
<footer><a href="/moderation/log">Moderation log</a></footer></body></html>`;
}
