import type { App } from '../app.js';
import type { Role, TokenScope, UserRow } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { fakePasswordCheck, hashPassword, PASSWORD_MAX_CHARS, verifyPassword } from '../lib/password.js';
import { hashToken, newToken } from '../lib/secret-token.js';
import { textAsHtml } from '../mail/layout.js';
import { type Actor, ANONYMOUS, isAdmin, ROLES, type UserActor } from '../model/actor.js';
import {
  type ApiTokenInfo,
  findApiTokenUser,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
} from '../store/api-token-store.js';
import { clearRateLimit } from '../store/rate-limit-store.js';
import {
  consumeOneTimeToken,
  deleteSession,
  deleteUserSessions,
  findSessionUser,
  insertOneTimeToken,
  insertSession,
  voidOneTimeTokens,
} from '../store/session-store.js';
import {
  findUserByEmail,
  findUserById,
  findUserByUsername,
  insertUser,
  UniqueTaken,
  updateUser,
} from '../store/user-store.js';
import { deliverMail } from './mail-delivery.js';
import { rateLimit } from './rate-limits.js';

/** How long links in mail stay valid. */
const VERIFY_LINK_HOURS = 48;
const RESET_LINK_HOURS = 1;
const EMAIL_CHANGE_LINK_HOURS = 24;
/** Links for accounts created by an admin on the CLI, which start without a password. */
const WELCOME_LINK_HOURS = 72;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** 2–39 characters, letters, digits, '-' and '_', starting with a letter or digit (like GitHub's). */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,38}$/;
/** Deliberately loose: the verification mail is the real test of an address. */
const EMAIL = /^[^\s@<>"'`]{1,64}@[^\s@<>"'`]{1,255}\.[^\s@<>"'`]{2,}$/;
const MAX_EMAIL_CHARS = 254;

/** The one message for every failed login, so it never tells which part was wrong. */
export const LOGIN_FAILED = 'Wrong username, email or password.';
/** The one answer to a reset request, whether or not the address has an account. */
export const RESET_SENT = 'If an account uses that address, a reset link is on its way.';

export function toActor(u: UserRow, via: UserActor['via']): UserActor {
  return {
    kind: 'user',
    id: u.id,
    username: u.username,
    role: u.role,
    emailVerified: u.email_verified === 1,
    banned: u.banned === 1,
    createdAt: u.created_at,
    via,
  };
}

function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

function validUsername(u: string): string {
  if (!USERNAME.test(u))
    throw new AppError('invalid', 'Username: 2–39 letters, digits, "-" or "_", starting with a letter or digit.', {
      parameter: 'username',
    });
  return u;
}

function validEmail(raw: string): string {
  const e = normaliseEmail(raw);
  if (e.length > MAX_EMAIL_CHARS || !EMAIL.test(e))
    throw new AppError('invalid', 'Email: enter an address like ada@example.org.', { parameter: 'email' });
  return e;
}

function validPassword(app: App, p: string): string {
  const min = app.config.community.passwordMinChars;
  if (typeof p !== 'string' || p.length < min)
    throw new AppError('invalid', `Password: at least ${min} characters.`, { parameter: 'password' });
  if (p.length > PASSWORD_MAX_CHARS)
    throw new AppError('invalid', `Password: at most ${PASSWORD_MAX_CHARS} characters.`, { parameter: 'password' });
  return p;
}

function later(app: App, ms: number): string {
  return new Date(app.clock.now().getTime() + ms).toISOString();
}

/** Account mail (links to confirm, reset, change an address); with mail off, kept in the outbox. */
async function mail(app: App, to: string, subject: string, text: string): Promise<void> {
  await deliverMail(app, { to, subject, text, html: textAsHtml(text) }, 'account');
}

async function issueLink(
  app: App,
  userId: number,
  purpose: 'verify' | 'reset' | 'email',
  hours: number,
  path: string,
  newEmail?: string,
): Promise<string> {
  const token = newToken();
  await insertOneTimeToken(app.db, {
    tokenHash: hashToken(token),
    userId,
    purpose,
    newEmail,
    createdAt: app.clock.now().toISOString(),
    expiresAt: later(app, hours * HOUR_MS),
  });
  return `${app.config.baseUrl}${path}?token=${encodeURIComponent(token)}`;
}

/** The address-confirmation mail: [to, subject, text]. */
async function verificationMail(app: App, user: UserRow): Promise<[string, string, string]> {
  const link = await issueLink(app, user.id, 'verify', VERIFY_LINK_HOURS, '/verify-email');
  return [
    user.email,
    'Confirm your paperboy account',
    `Hello ${user.username},\n\nconfirm your email address by opening this link (valid ${VERIFY_LINK_HOURS} hours):\n\n${link}\n\nIf you did not sign up, ignore this message.\n`,
  ];
}

async function sendVerification(app: App, user: UserRow): Promise<void> {
  await mail(app, ...(await verificationMail(app, user)));
}

/**
 * Send without making the caller wait or fail: for the answers that must not tell whether an
 * address has an account (sign-up, password reset). A failure is logged; the person can ask again.
 */
function mailSoon(app: App, to: string, subject: string, text: string): void {
  mail(app, to, subject, text).catch((err) => app.log.error({ err, to, subject }, 'mail not sent'));
}

interface SignupInput {
  username: string;
  email: string;
  password: string;
}

/**
 * Create an account and mail a verification link. An address already in use gets a note instead
 * (so the form's answer does not reveal which addresses have accounts); a taken username is
 * reported, since usernames are public anyway.
 */
export async function signup(app: App, input: SignupInput): Promise<{ created: boolean }> {
  const username = validUsername(String(input.username ?? '').trim());
  const email = validEmail(String(input.email ?? ''));
  const password = validPassword(app, input.password);
  // Usernames are public: a taken one is said at once, whatever the address, so the answer never
  // depends on whether the address has an account. The password is hashed on every path, so the
  // time taken does not tell either, and mail leaves in the background (see mailSoon).
  if (await findUserByUsername(app.db, username))
    throw new AppError('conflict', 'That username is taken.', { parameter: 'username' });
  const passwordHash = await hashPassword(password, app.config.community.passwordLogN);
  const existing = await findUserByEmail(app.db, email);
  if (existing) {
    mailSoon(
      app,
      email,
      'Someone tried to sign up with your address',
      `Hello ${existing.username},\n\nsomeone (perhaps you) tried to create a paperboy account with this address, which already has one.\nForgot your password? ${app.config.baseUrl}/reset-password\n`,
    );
    return { created: false };
  }
  let user: UserRow;
  try {
    user = await insertUser(app.db, { username, email, passwordHash, createdAt: app.clock.now().toISOString() });
  } catch (err) {
    if (err instanceof UniqueTaken && err.field === 'username')
      throw new AppError('conflict', 'That username is taken.', { parameter: 'username' });
    if (err instanceof UniqueTaken) return { created: false };
    throw err;
  }
  mailSoon(app, ...(await verificationMail(app, user)));
  return { created: true };
}

export async function resendVerification(app: App, actor: Actor): Promise<void> {
  const me = requireUser(actor);
  await rateLimit(app, 'reset', { account: me.id });
  const user = await findUserById(app.db, me.id);
  if (user && user.email_verified === 0) await sendVerification(app, user);
}

export async function verifyEmail(app: App, token: string): Promise<void> {
  const t = await consumeOneTimeToken(app.db, hashToken(String(token ?? '')), 'verify', app.clock.now().toISOString());
  if (!t) throw new AppError('invalid', 'This confirmation link is invalid, used or expired.');
  await updateUser(app.db, t.userId, { email_verified: 1 });
}

interface LoginResult {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  expiresAt: string;
  user: UserActor;
}

/**
 * Check a password and open a fresh session (a new token at every login: session fixation cannot
 * carry over). `previousToken`, when given, is ended. Throttled per account here; the route
 * that calls it counts per IP.
 */
export async function login(
  app: App,
  input: { login: string; password: string; previousToken?: string },
): Promise<LoginResult> {
  const login = String(input.login ?? '').trim();
  const password = String(input.password ?? '');
  const user = login.includes('@')
    ? await findUserByEmail(app.db, normaliseEmail(login))
    : await findUserByUsername(app.db, login);
  // Counted per account, whichever name or address was typed for it (the route counts per IP).
  if (user) await rateLimit(app, 'login', { account: user.id });
  if (!user?.password_hash || password.length > PASSWORD_MAX_CHARS) {
    await fakePasswordCheck(app.config.community.passwordLogN);
    throw new AppError('unauthenticated', LOGIN_FAILED);
  }
  if (!(await verifyPassword(password, user.password_hash))) throw new AppError('unauthenticated', LOGIN_FAILED);
  if (user.banned) throw new AppError('forbidden', 'This account is suspended.');
  await clearRateLimit(app.db, 'login', `account:${user.id}`);
  if (input.previousToken) await deleteSession(app.db, hashToken(input.previousToken));
  return openSession(app, user);
}

async function openSession(app: App, user: UserRow): Promise<LoginResult> {
  const token = newToken();
  const expiresAt = later(app, app.config.community.sessionDays * DAY_MS);
  await insertSession(app.db, {
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: app.clock.now().toISOString(),
    expiresAt,
  });
  return { token, expiresAt, user: toActor(user, 'session') };
}

export async function logout(app: App, token: string | undefined): Promise<void> {
  if (token) await deleteSession(app.db, hashToken(token));
}

/** The actor behind a session cookie (anonymous when missing, expired or banned). */
export async function sessionActor(app: App, token: string | undefined): Promise<Actor> {
  if (!token) return ANONYMOUS;
  const user = await findSessionUser(app.db, hashToken(token), app.clock.now().toISOString());
  if (!user || user.banned) return ANONYMOUS;
  return toActor(user, 'session');
}

/** The actor behind `Authorization: Bearer …` (null when the token is unknown or revoked). */
export async function tokenActor(app: App, token: string): Promise<UserActor | null> {
  const found = await findApiTokenUser(app.db, hashToken(token), app.clock.now().toISOString());
  if (!found || found.user.banned) return null;
  return toActor(found.user, found.scope);
}

export async function requestPasswordReset(app: App, input: { email: string }): Promise<void> {
  const email = normaliseEmail(String(input.email ?? ''));
  await rateLimit(app, 'reset', { account: email });
  const user = await findUserByEmail(app.db, email);
  if (!user || user.banned) return;
  await voidOneTimeTokens(app.db, user.id, 'reset', app.clock.now().toISOString());
  const link = await issueLink(app, user.id, 'reset', RESET_LINK_HOURS, '/reset-password');
  // In the background: an unknown address returns at once, so a known one must too (and a mail
  // server that is down must not turn the known ones into errors).
  mailSoon(
    app,
    user.email,
    'Reset your paperboy password',
    `Hello ${user.username},\n\nset a new password with this link (valid ${RESET_LINK_HOURS} hour, once):\n\n${link}\n\nIf you did not ask for this, ignore this message; your password is unchanged.\n`,
  );
}

/** Set a new password from a reset link; ends every session (whoever had the old password is out). */
export async function resetPassword(app: App, input: { token: string; password: string }): Promise<void> {
  const password = validPassword(app, input.password);
  const t = await consumeOneTimeToken(
    app.db,
    hashToken(String(input.token ?? '')),
    'reset',
    app.clock.now().toISOString(),
  );
  if (!t) throw new AppError('invalid', 'This reset link is invalid, used or expired. Ask for a new one.');
  // Following the mailed link proves the address, too.
  await updateUser(app.db, t.userId, {
    password_hash: await hashPassword(password, app.config.community.passwordLogN),
    email_verified: 1,
  });
  await deleteUserSessions(app.db, t.userId);
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new AppError('unauthenticated', 'Log in first.');
  if (actor.banned) throw new AppError('forbidden', 'This account is suspended.');
  return actor;
}

/** A signed-in user who may change things: read-only tokens are refused. */
export function requireWriter(actor: Actor): UserActor {
  const me = requireUser(actor);
  if (me.via === 'read') throw new AppError('forbidden', 'This token is read-only; create a write token.');
  return me;
}

async function checkCurrentPassword(app: App, me: UserActor, password: string): Promise<UserRow> {
  const user = await findUserById(app.db, me.id);
  if (!user) throw new AppError('unauthenticated', 'Log in first.');
  await rateLimit(app, 'login', { account: user.id });
  if (!(await verifyPassword(String(password ?? ''), user.password_hash)))
    throw new AppError('invalid', 'Current password: wrong.', { parameter: 'current' });
  return user;
}

/** Change the password; every other session ends (the current one, `keepToken`, stays). */
export async function changePassword(
  app: App,
  actor: Actor,
  input: { current: string; next: string; keepToken?: string },
): Promise<void> {
  const me = requireWriter(actor);
  const next = validPassword(app, input.next);
  await checkCurrentPassword(app, me, input.current);
  await updateUser(app.db, me.id, { password_hash: await hashPassword(next, app.config.community.passwordLogN) });
  await deleteUserSessions(app.db, me.id, input.keepToken ? hashToken(input.keepToken) : undefined);
}

/** Ask to move to a new address: a confirmation link goes to the new one, a notice to the old. */
export async function requestEmailChange(
  app: App,
  actor: Actor,
  input: { password: string; email: string },
): Promise<void> {
  const me = requireWriter(actor);
  const email = validEmail(input.email);
  const user = await checkCurrentPassword(app, me, input.password);
  await rateLimit(app, 'reset', { account: me.id });
  // An address in use gets no link; the answer is the same, so it reveals nothing.
  if (await findUserByEmail(app.db, email)) return;
  const link = await issueLink(app, me.id, 'email', EMAIL_CHANGE_LINK_HOURS, '/change-email/confirm', email);
  await mail(
    app,
    email,
    'Confirm your new paperboy address',
    `Hello ${user.username},\n\nconfirm this address for your account (valid ${EMAIL_CHANGE_LINK_HOURS} hours):\n\n${link}\n`,
  );
  await mail(
    app,
    user.email,
    'Your paperboy address is changing',
    `Hello ${user.username},\n\nsomeone signed in as you asked to move your account to another address. If it was not you, reset your password: ${app.config.baseUrl}/reset-password\n`,
  );
}

export async function confirmEmailChange(app: App, token: string): Promise<void> {
  const t = await consumeOneTimeToken(app.db, hashToken(String(token ?? '')), 'email', app.clock.now().toISOString());
  if (!t?.newEmail) throw new AppError('invalid', 'This confirmation link is invalid, used or expired.');
  try {
    await updateUser(app.db, t.userId, { email: t.newEmail, email_verified: 1 });
  } catch (err) {
    if (err instanceof UniqueTaken)
      throw new AppError('invalid', 'This confirmation link is invalid, used or expired.');
    throw err;
  }
}

export async function setUpvotesPublic(app: App, actor: Actor, value: boolean): Promise<void> {
  const me = requireWriter(actor);
  await updateUser(app.db, me.id, { upvotes_public: value ? 1 : 0 });
}

/**
 * Create a user as an operator (CLI) or an admin: verified at once. Without a password, a link to
 * set one is mailed (logged when mail is off) and returned, so the command line can print it.
 */
export async function createUser(
  app: App,
  actor: Actor,
  input: { username: string; email: string; role?: Role; password?: string | null },
): Promise<{ user: UserActor; link: string | null }> {
  if (!(actor.kind === 'user' && actor.via === 'cli') && !isAdmin(actor))
    throw new AppError('forbidden', 'Only an admin may create users.');
  const username = validUsername(input.username);
  const email = validEmail(input.email);
  const role = input.role ?? 'user';
  if (!ROLES.includes(role)) throw new AppError('invalid', `Role: one of ${ROLES.join(', ')}.`, { parameter: 'role' });
  const passwordHash = input.password
    ? await hashPassword(validPassword(app, input.password), app.config.community.passwordLogN)
    : null;
  let user: UserRow;
  try {
    user = await insertUser(app.db, {
      username,
      email,
      passwordHash,
      role,
      emailVerified: true,
      createdAt: app.clock.now().toISOString(),
    });
  } catch (err) {
    if (err instanceof UniqueTaken)
      throw new AppError('conflict', `That ${err.field} is taken.`, { parameter: err.field });
    throw err;
  }
  let link: string | null = null;
  if (!passwordHash) {
    link = await issueLink(app, user.id, 'reset', WELCOME_LINK_HOURS, '/reset-password');
    await mail(
      app,
      email,
      'Your paperboy account',
      `Hello ${username},\n\nan account (${role}) was created for you. Choose a password here (valid ${WELCOME_LINK_HOURS} hours):\n\n${link}\n`,
    );
  }
  return { user: toActor(user, 'session'), link };
}

/** The operator on the command line: may do what an admin may. */
export const CLI_ACTOR: UserActor = Object.freeze({
  kind: 'user',
  id: 0,
  username: 'cli',
  role: 'admin',
  emailVerified: true,
  banned: false,
  createdAt: '1970-01-01T00:00:00.000Z',
  via: 'cli',
});

const API_TOKEN_PREFIX = 'pb_';
const MAX_TOKEN_NAME_CHARS = 100;

/** A personal access token; the secret is returned once and stored only as a hash. */
export async function createApiToken(
  app: App,
  actor: Actor,
  input: { name: string; scope: TokenScope; username?: string },
): Promise<{ id: number; token: string }> {
  let userId: number;
  if (actor.kind === 'user' && actor.via === 'cli') {
    const u = input.username ? await findUserByUsername(app.db, input.username) : undefined;
    if (!u) throw new AppError('not_found', `No user named ${input.username}.`);
    userId = u.id;
  } else {
    const me = requireUser(actor);
    if (me.via !== 'session')
      throw new AppError('forbidden', 'Tokens are created in settings, not with another token.');
    userId = me.id;
  }
  if (input.scope !== 'read' && input.scope !== 'write')
    throw new AppError('invalid', 'Scope: read or write.', { parameter: 'scope' });
  const name =
    String(input.name ?? '')
      .trim()
      .slice(0, MAX_TOKEN_NAME_CHARS) || 'token';
  const token = newToken(API_TOKEN_PREFIX);
  const id = await insertApiToken(app.db, {
    userId,
    name,
    tokenHash: hashToken(token),
    scope: input.scope,
    createdAt: app.clock.now().toISOString(),
  });
  return { id, token };
}

export async function myApiTokens(app: App, actor: Actor): Promise<ApiTokenInfo[]> {
  const me = requireUser(actor);
  return listApiTokens(app.db, me.id);
}

export async function revokeMyApiToken(app: App, actor: Actor, tokenId: number): Promise<void> {
  const me = requireUser(actor);
  if (me.via !== 'session') throw new AppError('forbidden', 'Tokens are revoked in settings.');
  if (!(await revokeApiToken(app.db, me.id, tokenId, app.clock.now().toISOString())))
    throw new AppError('not_found', 'No such token.');
}

export async function currentUser(app: App, actor: Actor): Promise<UserRow | undefined> {
  return actor.kind === 'user' ? findUserById(app.db, actor.id) : undefined;
}
