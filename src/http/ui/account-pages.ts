import { escapeHtml as e } from '../../lib/html.js';
import { csrfInput } from './community-layout.js';

/** Sign-up, log-in, verification and password-reset forms (bodies; the layout frames them). */
function field(label: string, name: string, type: string, value = '', extra = ''): string {
  return `<label>${e(label)} <input name="${name}" type="${type}" value="${e(value)}" ${extra}></label>`;
}

export function signupForm(csrf: string, values: { username?: string; email?: string } = {}): string {
  return `<h1>Sign up</h1><form method="post" action="/signup" class="stack">${csrfInput(csrf)}
${field('Username', 'username', 'text', values.username, 'required autocomplete="username" maxlength="39"')}
${field('Email', 'email', 'email', values.email, 'required autocomplete="email"')}
${field('Password', 'password', 'password', '', 'required autocomplete="new-password" minlength="10"')}
<button type="submit">Create account</button></form><p>Have an account? <a href="/login">Log in</a>.</p>`;
}

export function loginForm(csrf: string, login = '', next = ''): string {
  return `<h1>Log in</h1><form method="post" action="/login" class="stack">${csrfInput(csrf)}
<input type="hidden" name="next" value="${e(next)}">
${field('Username or email', 'login', 'text', login, 'required autocomplete="username"')}
${field('Password', 'password', 'password', '', 'required autocomplete="current-password"')}
<button type="submit">Log in</button></form><p><a href="/reset-password">Forgot your password?</a> · <a href="/signup">Sign up</a></p>`;
}

/** A link from mail opens this page; the POST does the work, so mail scanners that prefetch links consume nothing. */
export function confirmForm(csrf: string, title: string, action: string, token: string, button: string): string {
  return `<h1>${e(title)}</h1><form method="post" action="${e(action)}">${csrfInput(csrf)}<input type="hidden" name="token" value="${e(token)}">
<button type="submit">${e(button)}</button></form>`;
}

export function resetRequestForm(csrf: string): string {
  return `<h1>Reset your password</h1><form method="post" action="/reset-password" class="stack">${csrfInput(csrf)}
${field('Email', 'email', 'email', '', 'required autocomplete="email"')}<button type="submit">Send me a link</button></form>`;
}

export function resetSetForm(csrf: string, token: string): string {
  return `<h1>Choose a new password</h1><form method="post" action="/reset-password/set" class="stack">${csrfInput(csrf)}
<input type="hidden" name="token" value="${e(token)}">
${field('New password', 'password', 'password', '', 'required autocomplete="new-password" minlength="10"')}<button type="submit">Set password</button></form>`;
}
