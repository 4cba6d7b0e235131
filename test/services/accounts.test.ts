import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/lib/app-error.js';
import {
  CLI_ACTOR,
  changePassword,
  confirmEmailChange,
  createApiToken,
  createUser,
  LOGIN_FAILED,
  login,
  logout,
  myApiTokens,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  revokeMyApiToken,
  sessionActor,
  signup,
  tokenActor,
  verifyEmail,
} from '../../src/services/accounts.js';
import type { TestApp } from '../helpers/app.js';
import { testCtx } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { linkIn, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const PW = 'correct horse battery staple';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (err instanceof AppError) return err.code;
    throw err;
  }
}

describe.each(TEST_DIALECTS)('accounts on %s', (dialect) => {
  let db: TestDb;
  let smtp: TestSmtp;
  let ctx: TestApp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ctx = testCtx(db, {}, smtp.smtpUrl);
  });
  afterEach(async () => {
    ctx?.mailer?.close();
    await db?.drop();
  });

  it('signs up, mails a single-use verification link, logs in with a fresh session each time', async () => {
    const email = `ada-${dialect}@example.org`;
    expect(await signup(ctx, { username: 'ada', email: email.toUpperCase(), password: PW })).toEqual({ created: true });
    const mail = await smtp.waitFor(email, (m) => m.subject.includes('Confirm'));
    const link = linkIn(mail, `${ctx.config.baseUrl}/verify-email?token=`);
    const token = decodeURIComponent(new URL(link).searchParams.get('token')!);
    await verifyEmail(ctx, token);
    expect(await code(verifyEmail(ctx, token))).toBe('invalid'); // single use
    const a = await login(ctx, { login: 'ada', password: PW });
    expect(a.user.emailVerified).toBe(true);
    const b = await login(ctx, { login: email, password: PW, previousToken: a.token });
    expect(b.token).not.toBe(a.token);
    expect((await sessionActor(ctx, a.token)).kind).toBe('anonymous'); // rotated
    expect((await sessionActor(ctx, b.token)).kind).toBe('user');
    // Only the hash is stored.
    const rows = await db.kysely.selectFrom('sessions').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(b.token);
    await logout(ctx, b.token);
    expect((await sessionActor(ctx, b.token)).kind).toBe('anonymous');
  });

  it('does not tell which addresses have accounts, and says the same for every failed login', async () => {
    const email = `bob-${dialect}@example.org`;
    await signup(ctx, { username: 'bob', email, password: PW });
    expect(await signup(ctx, { username: 'bob2', email, password: PW })).toEqual({ created: false });
    await smtp.waitFor(email, (m) => m.subject.includes('tried to sign up'));
    expect(await code(signup(ctx, { username: 'bob', email: `other-${dialect}@example.org`, password: PW }))).toBe(
      'conflict',
    );
    const messages: string[] = [];
    for (const attempt of [
      { login: 'bob', password: 'wrong password!' },
      { login: 'nobody', password: PW },
    ]) {
      try {
        await login(ctx, attempt);
      } catch (err) {
        messages.push((err as Error).message);
      }
    }
    expect(messages).toEqual([LOGIN_FAILED, LOGIN_FAILED]);
  });

  it('throttles logins per account across attempts', async () => {
    ctx = testCtx(db, { RATE_LIMIT_LOGIN: '3/100/15m' }, smtp.smtpUrl);
    await createUser(ctx, CLI_ACTOR, { username: 'carol', email: `carol-${dialect}@example.org`, password: PW });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(await code(login(ctx, { login: 'carol', password: 'not the password' })));
    expect(codes).toEqual(['unauthenticated', 'unauthenticated', 'unauthenticated', 'rate_limited']);
    expect(await code(login(ctx, { login: 'carol', password: PW }))).toBe('rate_limited');
    ctx.advance(15 * 60 * 1000);
    expect(await code(login(ctx, { login: 'carol', password: PW }))).toBe('ok');
  });

  it('resets a password by mailed link: single use, expiring, ends every session', async () => {
    const email = `dan-${dialect}@example.org`;
    await createUser(ctx, CLI_ACTOR, { username: 'dan', email, password: PW });
    const s = await login(ctx, { login: 'dan', password: PW });
    await requestPasswordReset(ctx, { email: `nobody-${dialect}@example.org` }); // no error, no mail
    await requestPasswordReset(ctx, { email });
    const mail = await smtp.waitFor(email, (m) => m.subject.includes('Reset'));
    const token = new URL(linkIn(mail, `${ctx.config.baseUrl}/reset-password?token=`)).searchParams.get('token')!;
    await resetPassword(ctx, { token, password: 'a brand new password' });
    expect(await code(resetPassword(ctx, { token, password: 'another new password' }))).toBe('invalid');
    expect((await sessionActor(ctx, s.token)).kind).toBe('anonymous');
    expect(await code(login(ctx, { login: 'dan', password: PW }))).toBe('unauthenticated');
    expect(await code(login(ctx, { login: 'dan', password: 'a brand new password' }))).toBe('ok');
    expect(smtp.messages.some((m) => m.to.includes(`nobody-${dialect}@example.org`))).toBe(false);
    // Expiry: a link older than its lifetime is refused.
    await requestPasswordReset(ctx, { email });
    await new Promise((r) => setTimeout(r, 300));
    const second = smtp.messages.filter((m) => m.to.includes(email) && m.subject.includes('Reset')).at(-1)!;
    const token2 = new URL(linkIn(second, `${ctx.config.baseUrl}/reset-password?token=`)).searchParams.get('token')!;
    ctx.advance(2 * 3_600_000);
    expect(await code(resetPassword(ctx, { token: token2, password: 'too late password' }))).toBe('invalid');
  });

  it('changes password (other sessions end) and email (confirmed at the new address)', async () => {
    const email = `eve-${dialect}@example.org`;
    await createUser(ctx, CLI_ACTOR, { username: 'eve', email, password: PW });
    const s1 = await login(ctx, { login: 'eve', password: PW });
    const s2 = await login(ctx, { login: 'eve', password: PW });
    expect(await code(changePassword(ctx, s1.user, { current: 'wrong', next: 'next password 123' }))).toBe('invalid');
    await changePassword(ctx, s1.user, { current: PW, next: 'next password 123', keepToken: s1.token });
    expect((await sessionActor(ctx, s1.token)).kind).toBe('user');
    expect((await sessionActor(ctx, s2.token)).kind).toBe('anonymous');
    const newEmail = `eve.new-${dialect}@example.org`;
    await requestEmailChange(ctx, s1.user, { password: 'next password 123', email: newEmail });
    const mail = await smtp.waitFor(newEmail);
    await smtp.waitFor(email, (m) => m.subject.includes('changing'));
    const token = new URL(linkIn(mail, `${ctx.config.baseUrl}/change-email/confirm?token=`)).searchParams.get('token')!;
    await confirmEmailChange(ctx, token);
    expect(await code(login(ctx, { login: newEmail, password: 'next password 123' }))).toBe('ok');
  });

  it('issues hashed, scoped, revocable API tokens', async () => {
    await createUser(ctx, CLI_ACTOR, { username: 'fay', email: `fay-${dialect}@example.org`, password: PW });
    const s = await login(ctx, { login: 'fay', password: PW });
    const { id, token } = await createApiToken(ctx, s.user, { name: 'laptop', scope: 'read' });
    expect(token.startsWith('pb_')).toBe(true);
    const a = await tokenActor(ctx, token);
    expect(a).toMatchObject({ username: 'fay', via: 'read' });
    expect(await code(createApiToken(ctx, a!, { name: 'x', scope: 'write' }))).toBe('forbidden');
    const cli = await createApiToken(ctx, CLI_ACTOR, { name: 'cli', scope: 'write', username: 'fay' });
    expect((await tokenActor(ctx, cli.token))?.via).toBe('write');
    expect((await myApiTokens(ctx, s.user)).map((t) => t.name).sort()).toEqual(['cli', 'laptop']);
    await revokeMyApiToken(ctx, s.user, id);
    expect(await tokenActor(ctx, token)).toBeNull();
    const stored = await db.kysely.selectFrom('api_tokens').select('token_hash').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);
  });

  it('creates a user without a password by mailing a link to set one', async () => {
    const email = `gil-${dialect}@example.org`;
    const r = await createUser(ctx, CLI_ACTOR, { username: 'gil', email, role: 'admin' });
    expect(r.link).toMatch(/reset-password\?token=/);
    expect(r.user.role).toBe('admin');
    const mail = await smtp.waitFor(email);
    const token = new URL(linkIn(mail, `${ctx.config.baseUrl}/reset-password?token=`)).searchParams.get('token')!;
    expect(await code(login(ctx, { login: 'gil', password: PW }))).toBe('unauthenticated');
    await resetPassword(ctx, { token, password: PW });
    expect(await code(login(ctx, { login: 'gil', password: PW }))).toBe('ok');
  });
});
