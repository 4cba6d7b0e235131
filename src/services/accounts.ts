import type { Role, TokenScope, UserRow } from '../db/schema.js';
import { escapeHtml } from '../lib/html.js';
import { fakePasswordCheck, hashPassword, PASSWORD_MAX_CHARS, verifyPassword } from '../lib/password.js';
import { hashToken, newToken } from '../lib/secret-token.js';
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
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';
import { rateLimit } from './rate-limits.js';

/** How long links in mail stay valid. */
export const VERIFY_LINK_HOURS = 48;
export const RESET_LINK_HOURS = 1;
export const EMAIL_CHANGE_LINK_HOURS = 24;
/** Links for accounts created by an admin on the CLI, which start without a password. */
export const WELCOME_LINK_HOURS = 72;
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

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

function validUsername(u: string): string {
  if (!USERNAME.test(u))
    throw new ServiceError('invalid', 'Username: 2–39 letters, digits, "-" or "_", starting with a letter or digit.', {
      field: 'username',
    });
  return u;
}

function validEmail(raw: string): string {
  const e = normaliseEmail(raw);
  if (e.length > MAX_EMAIL_CHARS || !EMAIL.test(e))
    throw new ServiceError('invalid', 'Email: enter an address like ada@example.org.', { field: 'email' });
  return e;
}

function validPassword(ctx: ServiceContext, p: string): string {
  const min = ctx.config.community.passwordMinChars;
  if (typeof p !== 'string' || p.length < min)
    throw new ServiceError('invalid', `Password: at least ${min} characters.`, { field: 'password' });
  if (p.length > PASSWORD_MAX_CHARS)
    throw new ServiceError('invalid', `Password: at most ${PASSWORD_MAX_CHARS} characters.`, { field: 'password' });
  return p;
}

function later(ctx: ServiceContext, ms: number): string {
  return new Date(ctx.now().getTime() + ms).toISOString();
}

async function mail(ctx: ServiceContext, to: string, subject: string, text: string): Promise<void> {
  if (!ctx.mailer) {
    ctx.notice(`mail is off (no SMTP_URL); not sent to ${to}: ${subject}\n${text}`);
    return;
  }
  // The HTML part is the same text, escaped, with links made clickable.
  const html = `<p>${escapeHtml(text)
    .replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>')
    .replace(/\n/g, '<br>')}</p>`;
  await ctx.mailer.send({ to, subject, text, html });
}

async function issueLink(
  ctx: ServiceContext,
  userId: number,
  purpose: 'verify' | 'reset' | 'email',
  hours: number,
  path: string,
  newEmail?: string,
): Promise<string> {
  const token = newToken();
  await insertOneTimeToken(ctx.db, {
    tokenHash: hashToken(token),
    userId,
    purpose,
    newEmail,
    createdAt: ctx.now().toISOString(),
    expiresAt: later(ctx, hours * HOUR_MS),
  });
  return `${ctx.config.baseUrl}${path}?token=${encodeURIComponent(token)}`;
}

async function sendVerification(ctx: ServiceContext, user: UserRow): Promise<void> {
  const link = await issueLink(ctx, user.id, 'verify', VERIFY_LINK_HOURS, '/verify-email');
  await mail(
    ctx,
    user.email,
    'Confirm your paperboy account',
    `Hello ${user.username},\n\nconfirm your email address by opening this link (valid ${VERIFY_LINK_HOURS} hours):\n\n${link}\n\nIf you did not sign up, ignore this message.\n`,
  );
}

export interface SignupInput {
  username: string;
  email: string;
  password: string;
  ip?: string;
}

/**
 * Create an account and mail a verification link. An address already in use gets a note instead
 * (so the form's answer does not reveal which addresses have accounts); a taken username is
 * reported, since usernames are public anyway.
 */
export async function signup(ctx: ServiceContext, input: SignupInput): Promise<{ created: boolean }> {
  const username = validUsername(String(input.username ?? '').trim());
  const email = validEmail(String(input.email ?? ''));
  const password = validPassword(ctx, input.password);
  await rateLimit(ctx, 'signup', { ip: input.ip });
  const existing = await findUserByEmail(ctx.db, email);
  if (existing) {
    await mail(
      ctx,
      email,
      'Someone tried to sign up with your address',
      `Hello ${existing.username},\n\nsomeone (perhaps you) tried to create a paperboy account with this address, which already has one.\nForgot your password? ${ctx.config.baseUrl}/reset-password\n`,
    );
    return { created: false };
  }
  const passwordHash = await hashPassword(password, ctx.config.community.passwordLogN);
  let user: UserRow;
  try {
    user = await insertUser(ctx.db, { username, email, passwordHash, createdAt: ctx.now().toISOString() });
  } catch (err) {
    if (err instanceof UniqueTaken && err.field === 'username')
      throw new ServiceError('conflict', 'That username is taken.', { field: 'username' });
    if (err instanceof UniqueTaken) return { created: false };
    throw err;
  }
  await sendVerification(ctx, user);
  return { created: true };
}

export async function resendVerification(ctx: ServiceContext, actor: Actor): Promise<void> {
  const me = requireUser(actor);
  await rateLimit(ctx, 'reset', { account: me.id });
  const user = await findUserById(ctx.db, me.id);
  if (user && user.email_verified === 0) await sendVerification(ctx, user);
}

export async function verifyEmail(ctx: ServiceContext, token: string): Promise<void> {
  const t = await consumeOneTimeToken(ctx.db, hashToken(String(token ?? '')), 'verify', ctx.now().toISOString());
  if (!t) throw new ServiceError('invalid', 'This confirmation link is invalid, used or expired.');
  await updateUser(ctx.db, t.userId, { email_verified: 1 });
}

export interface LoginResult {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  expiresAt: string;
  user: UserActor;
}

/**
 * Check a password and open a fresh session (a new token at every login: session fixation cannot
 * carry over). `previousToken`, when given, is ended. Throttled per account and per IP.
 */
export async function login(
  ctx: ServiceContext,
  input: { login: string; password: string; ip?: string; previousToken?: string },
): Promise<LoginResult> {
  const login = String(input.login ?? '').trim();
  const password = String(input.password ?? '');
  const accountKey = login.toLowerCase();
  await rateLimit(ctx, 'login', { account: accountKey, ip: input.ip });
  const user = login.includes('@')
    ? await findUserByEmail(ctx.db, normaliseEmail(login))
    : await findUserByUsername(ctx.db, login);
  if (!user?.password_hash || password.length > PASSWORD_MAX_CHARS) {
    await fakePasswordCheck(ctx.config.community.passwordLogN);
    throw new ServiceError('unauthenticated', LOGIN_FAILED);
  }
  if (!(await verifyPassword(password, user.password_hash))) throw new ServiceError('unauthenticated', LOGIN_FAILED);
  if (user.banned) throw new ServiceError('forbidden', 'This account is suspended.');
  await clearRateLimit(ctx.db, 'login', `account:${accountKey}`);
  if (input.previousToken) await deleteSession(ctx.db, hashToken(input.previousToken));
  return openSession(ctx, user);
}

async function openSession(ctx: ServiceContext, user: UserRow): Promise<LoginResult> {
  const token = newToken();
  const expiresAt = later(ctx, ctx.config.community.sessionDays * DAY_MS);
  await insertSession(ctx.db, {
    tokenHash: hashToken(token),
    userId: user.id,
    createdAt: ctx.now().toISOString(),
    expiresAt,
  });
  return { token, expiresAt, user: toActor(user, 'session') };
}

export async function logout(ctx: ServiceContext, token: string | undefined): Promise<void> {
  if (token) await deleteSession(ctx.db, hashToken(token));
}

/** The actor behind a session cookie (anonymous when missing, expired or banned). */
export async function sessionActor(ctx: ServiceContext, token: string | undefined): Promise<Actor> {
  if (!token) return ANONYMOUS;
  const user = await findSessionUser(ctx.db, hashToken(token), ctx.now().toISOString());
  if (!user || user.banned) return ANONYMOUS;
  return toActor(user, 'session');
}

/** The actor behind `Authorization: Bearer …` (null when the token is unknown or revoked). */
export async function tokenActor(ctx: ServiceContext, token: string): Promise<UserActor | null> {
  const found = await findApiTokenUser(ctx.db, hashToken(token), ctx.now().toISOString());
  if (!found || found.user.banned) return null;
  return toActor(found.user, found.scope);
}

export async function requestPasswordReset(ctx: ServiceContext, input: { email: string; ip?: string }): Promise<void> {
  const email = normaliseEmail(String(input.email ?? ''));
  await rateLimit(ctx, 'reset', { account: email, ip: input.ip });
  const user = await findUserByEmail(ctx.db, email);
  if (!user || user.banned) return;
  await voidOneTimeTokens(ctx.db, user.id, 'reset', ctx.now().toISOString());
  const link = await issueLink(ctx, user.id, 'reset', RESET_LINK_HOURS, '/reset-password');
  await mail(
    ctx,
    user.email,
    'Reset your paperboy password',
    `Hello ${user.username},\n\nset a new password with this link (valid ${RESET_LINK_HOURS} hour, once):\n\n${link}\n\nIf you did not ask for this, ignore this message; your password is unchanged.\n`,
  );
}

/** Set a new password from a reset link; ends every session (whoever had the old password is out). */
export async function resetPassword(ctx: ServiceContext, input: { token: string; password: string }): Promise<void> {
  const password = validPassword(ctx, input.password);
  const t = await consumeOneTimeToken(ctx.db, hashToken(String(input.token ?? '')), 'reset', ctx.now().toISOString());
  if (!t) throw new ServiceError('invalid', 'This reset link is invalid, used or expired. Ask for a new one.');
  // Following the mailed link proves the address, too.
  await updateUser(ctx.db, t.userId, {
    password_hash: await hashPassword(password, ctx.config.community.passwordLogN),
    email_verified: 1,
  });
  await deleteUserSessions(ctx.db, t.userId);
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new ServiceError('unauthenticated', 'Log in first.');
  if (actor.banned) throw new ServiceError('forbidden', 'This account is suspended.');
  return actor;
}

/** A signed-in user who may change things: read-only tokens are refused. */
export function requireWriter(actor: Actor): UserActor {
  const me = requireUser(actor);
  if (me.via === 'read') throw new ServiceError('forbidden', 'This token is read-only; create a write token.');
  return me;
}

async function checkCurrentPassword(ctx: ServiceContext, me: UserActor, password: string): Promise<UserRow> {
  const user = await findUserById(ctx.db, me.id);
  if (!user) throw new ServiceError('unauthenticated', 'Log in first.');
  await rateLimit(ctx, 'login', { account: user.username.toLowerCase() });
  if (!(await verifyPassword(String(password ?? ''), user.password_hash)))
    throw new ServiceError('invalid', 'Current password: wrong.', { field: 'current' });
  return user;
}

/** Change the password; every other session ends (the current one, `keepToken`, stays). */
export async function changePassword(
  ctx: ServiceContext,
  actor: Actor,
  input: { current: string; next: string; keepToken?: string },
): Promise<void> {
  const me = requireWriter(actor);
  const next = validPassword(ctx, input.next);
  await checkCurrentPassword(ctx, me, input.current);
  await updateUser(ctx.db, me.id, { password_hash: await hashPassword(next, ctx.config.community.passwordLogN) });
  await deleteUserSessions(ctx.db, me.id, input.keepToken ? hashToken(input.keepToken) : undefined);
}

/** Ask to move to a new address: a confirmation link goes to the new one, a notice to the old. */
export async function requestEmailChange(
  ctx: ServiceContext,
  actor: Actor,
  input: { password: string; email: string },
): Promise<void> {
  const me = requireWriter(actor);
  const email = validEmail(input.email);
  const user = await checkCurrentPassword(ctx, me, input.password);
  await rateLimit(ctx, 'reset', { account: me.id });
  // An address in use gets no link; the answer is the same, so it reveals nothing.
  if (await findUserByEmail(ctx.db, email)) return;
  const link = await issueLink(ctx, me.id, 'email', EMAIL_CHANGE_LINK_HOURS, '/change-email/confirm', email);
  await mail(
    ctx,
    email,
    'Confirm your new paperboy address',
    `Hello ${user.username},\n\nconfirm this address for your account (valid ${EMAIL_CHANGE_LINK_HOURS} hours):\n\n${link}\n`,
  );
  await mail(
    ctx,
    user.email,
    'Your paperboy address is changing',
    `Hello ${user.username},\n\nsomeone signed in as you asked to move your account to another address. If it was not you, reset your password: ${ctx.config.baseUrl}/reset-password\n`,
  );
}

export async function confirmEmailChange(ctx: ServiceContext, token: string): Promise<void> {
  const t = await consumeOneTimeToken(ctx.db, hashToken(String(token ?? '')), 'email', ctx.now().toISOString());
  if (!t?.newEmail) throw new ServiceError('invalid', 'This confirmation link is invalid, used or expired.');
  try {
    await updateUser(ctx.db, t.userId, { email: t.newEmail, email_verified: 1 });
  } catch (err) {
    if (err instanceof UniqueTaken)
      throw new ServiceError('invalid', 'This confirmation link is invalid, used or expired.');
    throw err;
  }
}

export async function setUpvotesPublic(ctx: ServiceContext, actor: Actor, value: boolean): Promise<void> {
  const me = requireWriter(actor);
  await updateUser(ctx.db, me.id, { upvotes_public: value ? 1 : 0 });
}

/**
 * Create a user as an operator (CLI) or an admin: verified at once. Without a password, a link to
 * set one is mailed (or printed through ctx.notice when mail is off). Returns that link's presence.
 */
export async function createUser(
  ctx: ServiceContext,
  actor: Actor,
  input: { username: string; email: string; role?: Role; password?: string | null },
): Promise<{ user: UserActor; linkSent: boolean }> {
  if (!(actor.kind === 'user' && actor.via === 'cli') && !isAdmin(actor))
    throw new ServiceError('forbidden', 'Only an admin may create users.');
  const username = validUsername(input.username);
  const email = validEmail(input.email);
  const role = input.role ?? 'user';
  if (!ROLES.includes(role)) throw new ServiceError('invalid', `Role: one of ${ROLES.join(', ')}.`, { field: 'role' });
  const passwordHash = input.password
    ? await hashPassword(validPassword(ctx, input.password), ctx.config.community.passwordLogN)
    : null;
  let user: UserRow;
  try {
    user = await insertUser(ctx.db, {
      username,
      email,
      passwordHash,
      role,
      emailVerified: true,
      createdAt: ctx.now().toISOString(),
    });
  } catch (err) {
    if (err instanceof UniqueTaken)
      throw new ServiceError('conflict', `That ${err.field} is taken.`, { field: err.field });
    throw err;
  }
  if (!passwordHash) {
    const link = await issueLink(ctx, user.id, 'reset', WELCOME_LINK_HOURS, '/reset-password');
    await mail(
      ctx,
      email,
      'Your paperboy account',
      `Hello ${username},\n\nan account (${role}) was created for you. Choose a password here (valid ${WELCOME_LINK_HOURS} hours):\n\n${link}\n`,
    );
  }
  return { user: toActor(user, 'session'), linkSent: !passwordHash };
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

export const API_TOKEN_PREFIX = 'pb_';
const MAX_TOKEN_NAME_CHARS = 100;

/** A personal access token; the secret is returned once and stored only as a hash. */
export async function createApiToken(
  ctx: ServiceContext,
  actor: Actor,
  input: { name: string; scope: TokenScope; username?: string },
): Promise<{ id: number; token: string }> {
  let userId: number;
  if (actor.kind === 'user' && actor.via === 'cli') {
    const u = input.username ? await findUserByUsername(ctx.db, input.username) : undefined;
    if (!u) throw new ServiceError('not_found', `No user named ${input.username}.`);
    userId = u.id;
  } else {
    const me = requireUser(actor);
    if (me.via !== 'session')
      throw new ServiceError('forbidden', 'Tokens are created in settings, not with another token.');
    userId = me.id;
  }
  if (input.scope !== 'read' && input.scope !== 'write')
    throw new ServiceError('invalid', 'Scope: read or write.', { field: 'scope' });
  const name =
    String(input.name ?? '')
      .trim()
      .slice(0, MAX_TOKEN_NAME_CHARS) || 'token';
  const token = newToken(API_TOKEN_PREFIX);
  const id = await insertApiToken(ctx.db, {
    userId,
    name,
    tokenHash: hashToken(token),
    scope: input.scope,
    createdAt: ctx.now().toISOString(),
  });
  return { id, token };
}

export async function myApiTokens(ctx: ServiceContext, actor: Actor): Promise<ApiTokenInfo[]> {
  const me = requireUser(actor);
  return listApiTokens(ctx.db, me.id);
}

export async function revokeMyApiToken(ctx: ServiceContext, actor: Actor, tokenId: number): Promise<void> {
  const me = requireUser(actor);
  if (me.via !== 'session') throw new ServiceError('forbidden', 'Tokens are revoked in settings.');
  if (!(await revokeApiToken(ctx.db, me.id, tokenId, ctx.now().toISOString())))
    throw new ServiceError('not_found', 'No such token.');
}

export async function currentUser(ctx: ServiceContext, actor: Actor): Promise<UserRow | undefined> {
  return actor.kind === 'user' ? findUserById(ctx.db, actor.id) : undefined;
}
