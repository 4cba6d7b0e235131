import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import * as accounts from '../../services/accounts.js';
import { MAIL_OFF_WHERE } from '../../services/mail-delivery.js';
import { text } from '../params.js';
import { STATUS } from '../respond.js';
import { handler, redirect, withCookies } from '../route.js';
import { safeNext } from '../server.js';
import { SESSION_COOKIE } from '../session.js';
import { confirmForm, loginForm, notice, resetRequestForm, resetSetForm, signupForm } from '../ui/account-forms.js';
import { communityPage } from '../ui/layout.js';

/**
 * Accounts: sign up, confirm the address, log in and out, reset the password, confirm a new
 * address. Each GET shows its form; each POST does the work and shows the outcome (or the form
 * again with what went wrong). Links from mail open a page whose button POSTs, so mail scanners
 * that fetch links consume nothing.
 */
const DAY_S = 86_400;
const Token = z.object({ token: text() });

/** An expected refusal (a taken name, a wrong password) becomes the form again; anything else propagates. */
function refusal(err: unknown): AppError {
  if (err instanceof AppError && err.code !== 'rate_limited') return err;
  throw err;
}

export const signupPage = handler({}, async (c) => communityPage(c, 'Sign up', signupForm(c.csrf)));

export const signup = handler({ body: z.object({ username: text(), email: text(), password: text() }) }, async (c) => {
  const b = c.body;
  try {
    await accounts.signup(c.app, { username: b.username ?? '', email: b.email ?? '', password: b.password ?? '' });
  } catch (err) {
    const e = refusal(err);
    return communityPage(c, 'Sign up', signupForm(c.csrf, b), {
      status: STATUS[e.code],
      flash: { kind: 'error', text: e.message },
    });
  }
  return communityPage(
    c,
    'Check your mail',
    notice(
      'Check your mail',
      c.app.mailer
        ? 'We sent a link to confirm your address (unless it already has an account — then a note). Follow it, then log in.'
        : `We made a link to confirm your address (unless it already has an account — then a note). ${MAIL_OFF_WHERE} Follow the link, then log in.`,
    ),
  );
});

export const verifyPage = handler({ query: Token }, async (c) =>
  communityPage(
    c,
    'Confirm your address',
    confirmForm(c.csrf, 'Confirm your address', '/verify-email', c.query.token ?? '', 'Confirm'),
  ),
);

export const verify = handler({ body: Token }, async (c) => {
  await accounts.verifyEmail(c.app, c.body.token ?? '');
  const next =
    c.actor.kind === 'user' ? { href: '/', label: 'Go to Daily Papers' } : { href: '/login', label: 'Log in' };
  return communityPage(c, 'Address confirmed', notice('Address confirmed', '', next));
});

export const loginPage = handler({ query: z.object({ next: text() }) }, async (c) =>
  communityPage(c, 'Log in', loginForm(c.csrf, '', safeNext(c.query.next, ''))),
);

export const login = handler({ body: z.object({ login: text(), password: text(), next: text() }) }, async (c) => {
  const b = c.body;
  try {
    const r = await accounts.login(c.app, {
      login: b.login ?? '',
      password: b.password ?? '',
      previousToken: c.req.cookies[SESSION_COOKIE],
    });
    return withCookies(redirect(safeNext(b.next), 303), {
      name: SESSION_COOKIE,
      value: r.token,
      maxAgeSeconds: c.app.config.community.sessionDays * DAY_S,
    });
  } catch (err) {
    const e = refusal(err);
    return communityPage(c, 'Log in', loginForm(c.csrf, b.login ?? '', safeNext(b.next, '')), {
      status: STATUS[e.code],
      flash: { kind: 'error', text: e.message },
    });
  }
});

export const logout = handler({}, async (c) => {
  await accounts.logout(c.app, c.req.cookies[SESSION_COOKIE]);
  return withCookies(redirect('/', 303), { name: SESSION_COOKIE, value: null });
});

export const resetPage = handler({ query: Token }, async (c) =>
  communityPage(c, 'Reset password', c.query.token ? resetSetForm(c.csrf, c.query.token) : resetRequestForm(c.csrf)),
);

export const requestReset = handler({ body: z.object({ email: text() }) }, async (c) => {
  await accounts.requestPasswordReset(c.app, { email: c.body.email ?? '' });
  return communityPage(
    c,
    'Check your mail',
    notice('Check your mail', c.app.mailer ? accounts.RESET_SENT : `${accounts.RESET_SENT} ${MAIL_OFF_WHERE}`),
  );
});

export const setPassword = handler({ body: z.object({ token: text(), password: text() }) }, async (c) => {
  const b = c.body;
  try {
    await accounts.resetPassword(c.app, { token: b.token ?? '', password: b.password ?? '' });
  } catch (err) {
    const e = refusal(err);
    return communityPage(c, 'Reset password', resetSetForm(c.csrf, b.token ?? ''), {
      status: STATUS[e.code],
      flash: { kind: 'error', text: e.message },
    });
  }
  return withCookies(
    await communityPage(
      c,
      'Password changed',
      notice('Password changed', 'Every session was logged out.', {
        href: '/login',
        label: 'Log in with the new password.',
      }),
    ),
    { name: SESSION_COOKIE, value: null },
  );
});

export const confirmEmailPage = handler({ query: Token }, async (c) =>
  communityPage(
    c,
    'Confirm new address',
    confirmForm(c.csrf, 'Confirm your new address', '/change-email/confirm', c.query.token ?? '', 'Confirm'),
  ),
);

export const confirmEmail = handler({ body: Token }, async (c) => {
  await accounts.confirmEmailChange(c.app, c.body.token ?? '');
  return communityPage(c, 'Address changed', notice('Address changed', ''));
});
