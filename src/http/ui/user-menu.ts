import { html, type SafeHtml } from '../../lib/html-template.js';
import type { Viewer } from '../viewer.js';
import { csrfField } from './forms.js';

/** The header's account links: log in and sign up, or the reader's own pages and log out. */
export function userMenu(v: Viewer): SafeHtml {
  const a = v.actor;
  if (a.kind !== 'user') return html`<a href="/login">Log in</a> <a class="button" href="/signup">Sign up</a>`;
  return html`<a href="/submit">Submit</a> <a href="/users/${a.username}">${a.username}</a> <a href="/saved">Saved</a> <a href="/settings">Settings</a>${v.moderator ? html` <a href="/moderation">Moderation</a>` : ''}
<form method="post" action="/logout" class="inline">${csrfField(v.csrf)}<button type="submit">Log out</button></form>`;
}
