import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { findSubscriberByEmail } from '../../src/store/subscriber-store.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { waitFor } from '../helpers/jobs.js';

const PW = 'correct horse battery staple';

/** Mail off (no SMTP_URL): what a person is promised by mail is kept where an admin reads it. */
describe.each(TEST_DIALECTS)('mail off means a visible outbox, on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ({ server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    expect(app.mailer).toBeNull();
    await createUser(app, CLI_ACTOR, { username: 'root', email: 'root@example.org', role: 'admin', password: PW });
    await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  async function form(url: string, payload: Record<string, string>, jar = new Map<string, string>()) {
    const page = await server.inject({
      method: 'GET',
      url: url === '/subscribe' ? '/' : url,
      headers: { cookie: cookieHeader(jar) },
    });
    collectCookies(jar, page.headers['set-cookie']);
    const csrf = /name="_csrf"/.test(page.body) ? { _csrf: csrfFrom(page.body) } : {};
    const res = await server.inject({
      method: 'POST',
      url,
      headers: { cookie: cookieHeader(jar), origin: app.config.baseUrl },
      payload: { ...payload, ...csrf },
    });
    collectCookies(jar, res.headers['set-cookie']);
    return res;
  }

  async function loginAs(login: string) {
    const jar = new Map<string, string>();
    const res = await form('/login', { login, password: PW }, jar);
    expect(res.statusCode).toBe(303);
    return jar;
  }

  const outboxRows = () => db.kysely.selectFrom('mail_outbox').selectAll().orderBy('id').execute();

  it('sign-up, reset and subscribe say where the mail went, and an admin reads it at /admin/outbox', async () => {
    const signup = await form('/signup', { username: 'bob', email: 'bob@example.org', password: PW });
    expect(signup.statusCode).toBe(200);
    expect(signup.body).toContain('Mail is off on this site');
    expect(signup.body).toContain('/admin/outbox');
    expect(signup.body).not.toContain('We sent a link');
    // Sign-up mails in the background (its answer must not tell whether the address had an account).
    await waitFor(async () => (await outboxRows()).length === 1, 'the sign-up mail in the outbox');

    const reset = await form('/reset-password', { email: 'ada@example.org' });
    expect(reset.body).toContain('Mail is off on this site');
    await waitFor(async () => (await outboxRows()).length === 2, 'the reset mail in the outbox');

    const sub = await form('/subscribe', { email: 'reader@example.org' });
    expect(sub.statusCode).toBe(200);
    expect(sub.body).not.toContain('not open yet');
    expect(sub.body).toContain('Mail is off on this site');
    expect((await findSubscriberByEmail(db, 'reader@example.org'))?.status).toBe('pending');

    const rows = await outboxRows();
    expect(rows.map((r) => [r.to_address, r.purpose])).toEqual([
      ['bob@example.org', 'account'],
      ['ada@example.org', 'account'],
      ['reader@example.org', 'subscribe'],
    ]);
    expect(rows[0].body_text).toMatch(/\/verify-email\?token=/);

    // Anonymous: to the log-in; a user: refused; the admin: every kept mail, links included.
    const anon = await server.inject({ url: '/admin/outbox' });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toMatch(/^\/login\?next=/);
    const user = await server.inject({ url: '/admin/outbox', headers: { cookie: cookieHeader(await loginAs('ada')) } });
    expect(user.statusCode).toBe(403);
    const admin = await server.inject({
      url: '/admin/outbox',
      headers: { cookie: cookieHeader(await loginAs('root')) },
    });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('3 kept messages');
    expect(admin.body).toContain('reader@example.org');
    const confirm = /(\/subscribe\/confirm\?token=[\w.%-]+)/.exec(admin.body)?.[1];
    expect(confirm).toBeTruthy();

    // The kept link works: subscribe → confirm through the outbox.
    const confirmed = await server.inject({ url: confirm!.replaceAll('&amp;', '&') });
    expect(confirmed.body).toContain('You are subscribed');
    expect((await findSubscriberByEmail(db, 'reader@example.org'))?.status).toBe('active');

    // Sign-up → confirmation through the outbox.
    const verify = /(\/verify-email\?token=[\w.%-]+)/.exec(rows[0].body_text)![1];
    const vpage = await server.inject({ url: verify });
    const jar = new Map<string, string>();
    collectCookies(jar, vpage.headers['set-cookie']);
    const done = await server.inject({
      method: 'POST',
      url: '/verify-email',
      headers: { cookie: cookieHeader(jar) },
      payload: { token: new URL(verify, 'http://x').searchParams.get('token')!, _csrf: csrfFrom(vpage.body) },
    });
    expect(done.body).toContain('Address confirmed');
  });
});
