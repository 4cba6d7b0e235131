import { html, type SafeHtml } from '../../lib/html-template.js';
import type { Viewer } from '../viewer.js';
import { csrfField } from './forms.js';

/**
 * The header's account part: log in and sign up, or one account menu (a <details> disclosure, so
 * it opens without JavaScript and never wraps the header on a phone) with the reader's own pages.
 */
export function userMenu(v: Viewer): SafeHtml {
  const a = v.actor;
  if (a.kind !== 'user')
    return html`<a class="login-link" href="/login">Log in</a> <a class="button primary" href="/signup">Sign up</a>`;
  return html`<details class="account-menu">
<summary aria-label="Account menu for ${a.username}"><span class="avatar" aria-hidden="true">${a.username.slice(0, 1).toUpperCase()}</span><span class="account-name">${a.username}</span><span class="caret" aria-hidden="true">▾</span></summary>
<div class="menu" role="menu">
<a role="menuitem" href="/users/${a.username}">Profile</a>
<a role="menuitem" href="/saved">Saved papers</a>
<a role="menuitem" href="/submit">Submit a paper</a>
<a role="menuitem" href="/settings">Settings</a>
${v.moderator ? html`<a role="menuitem" href="/moderation">Moderation</a>` : ''}
<form method="post" action="/logout">${csrfField(v.csrf)}<button type="submit" role="menuitem">Log out</button></form>
</div>
</details>`;
}
