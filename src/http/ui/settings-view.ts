import { html, type SafeHtml } from '../../lib/html-template.js';
import type { ApiTokenInfo } from '../../store/api-token-store.js';
import { csrfField } from './forms.js';

export interface SettingsView {
  username: string;
  email: string;
  emailVerified: boolean;
  upvotesPublic: boolean;
  tokens: ApiTokenInfo[];
  /** A token just created: shown once. */
  newToken?: string;
  /** The email digest of this account's address: its state and the link to its preferences. */
  digest?: { status: string; preferencesUrl: string } | null;
}

export function settingsView(csrf: string, v: SettingsView): SafeHtml {
  const tokens = v.tokens.map(
    (
      t,
    ) => html`<tr><td>${t.name}</td><td>${t.scope}</td><td>${t.createdAt.slice(0, 10)}</td><td>${t.lastUsedAt ? t.lastUsedAt.slice(0, 10) : 'never'}</td>
<td>${t.revokedAt ? 'revoked' : html`<form method="post" action="/settings/tokens/${t.id}/revoke" class="inline">${csrfField(csrf)}<button>Revoke</button></form>`}</td></tr>`,
  );
  return html`<h1>Settings</h1>
<section><h2>Email</h2><p>${v.email} ${v.emailVerified ? '(confirmed)' : html`(not confirmed) <form method="post" action="/settings/resend-verification" class="inline">${csrfField(csrf)}<button>Send the link again</button></form>`}</p>
<form method="post" action="/settings/email" class="stack">${csrfField(csrf)}<label>New email <input name="email" type="email" required></label>
<label>Current password <input name="password" type="password" required autocomplete="current-password"></label><button>Change email</button></form></section>
<section><h2>Email digest</h2>${
    v.digest
      ? html`<p>Trending papers by email: <strong>${v.digest.status}</strong>. <a href="${v.digest.preferencesUrl}">Change how often, topics and how many papers</a>.</p>`
      : html`<p>Get the trending papers in your inbox.</p><form method="post" action="/subscribe" class="inline"><input type="hidden" name="email" value="${v.email}"><button>Subscribe ${v.email}</button></form>`
  }</section>
<section><h2>Password</h2><form method="post" action="/settings/password" class="stack">${csrfField(csrf)}
<label>Current password <input name="current" type="password" required autocomplete="current-password"></label>
<label>New password <input name="next" type="password" required minlength="10" autocomplete="new-password"></label><button>Change password</button></form></section>
<section><h2>Privacy</h2><form method="post" action="/settings/privacy">${csrfField(csrf)}
<label><input type="checkbox" name="upvotes_public" value="1"${v.upvotesPublic ? html` checked` : ''}> Show my upvotes on my profile</label> <button>Save</button></form></section>
<section><h2>Access tokens</h2><p>For the API: send <code>Authorization: Bearer &lt;token&gt;</code>. Read tokens can only read; write tokens can vote, comment and submit.</p>
${v.newToken ? html`<p class="flash ok">New token (shown once; copy it now): <code id="new-token">${v.newToken}</code></p>` : ''}
<form method="post" action="/settings/tokens" class="stack">${csrfField(csrf)}<label>Name <input name="name" required maxlength="100"></label>
<label>Scope <select name="scope"><option value="read">read</option><option value="write">write</option></select></label><button>Create token</button></form>
${
  v.tokens.length === 0
    ? html`<p class="muted">No tokens yet.</p>`
    : html`<div class="table-scroll"><table><thead><tr><th>Name</th><th>Scope</th><th>Created</th><th>Last used</th><th></th></tr></thead><tbody>${tokens}</tbody></table></div>`
}</section>`;
}
