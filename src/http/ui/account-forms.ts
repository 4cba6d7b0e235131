import { html, type SafeHtml } from '../../lib/html-template.js';
import { csrfField, field } from './forms.js';

/** Sign-up, log-in, verification and password-reset forms (bodies; the layout frames them). */

export function signupForm(csrf: string, values: { username?: string; email?: string } = {}): SafeHtml {
  return html`<h1>Sign up</h1><form method="post" action="/signup" class="stack">${csrfField(csrf)}
${field('Username', 'username', 'text', values.username, { required: true, autocomplete: 'username', maxlength: '39' })}
${field('Email', 'email', 'email', values.email, { required: true, autocomplete: 'email' })}
${field('Password', 'password', 'password', '', { required: true, autocomplete: 'new-password', minlength: '10' })}
<button type="submit">Create account</button></form><p>Have an account? <a href="/login">Log in</a>.</p>`;
}

export function loginForm(csrf: string, login = '', next = ''): SafeHtml {
  return html`<h1>Log in</h1><form method="post" action="/login" class="stack">${csrfField(csrf)}
<input type="hidden" name="next" value="${next}">
${field('Username or email', 'login', 'text', login, { required: true, autocomplete: 'username' })}
${field('Password', 'password', 'password', '', { required: true, autocomplete: 'current-password' })}
<button type="submit">Log in</button></form><p><a href="/reset-password">Forgot your password?</a> · <a href="/signup">Sign up</a></p>`;
}

/** A link from mail opens this page; the POST does the work, so mail scanners that prefetch links consume nothing. */
export function confirmForm(csrf: string, title: string, action: string, token: string, button: string): SafeHtml {
  return html`<h1>${title}</h1><form method="post" action="${action}">${csrfField(csrf)}<input type="hidden" name="token" value="${token}">
<button type="submit">${button}</button></form>`;
}

export function resetRequestForm(csrf: string): SafeHtml {
  return html`<h1>Reset your password</h1><form method="post" action="/reset-password" class="stack">${csrfField(csrf)}
${field('Email', 'email', 'email', '', { required: true, autocomplete: 'email' })}<button type="submit">Send me a link</button></form>`;
}

export function resetSetForm(csrf: string, token: string): SafeHtml {
  return html`<h1>Choose a new password</h1><form method="post" action="/reset-password/set" class="stack">${csrfField(csrf)}
<input type="hidden" name="token" value="${token}">
${field('New password', 'password', 'password', '', { required: true, autocomplete: 'new-password', minlength: '10' })}<button type="submit">Set password</button></form>`;
}

/** A page that only says something, with an optional link onwards. */
export function notice(title: string, text: string, link?: { href: string; label: string }): SafeHtml {
  return html`<h1>${title}</h1><p>${text}${link ? html` <a href="${link.href}">${link.label}</a>` : ''}</p>`;
}
