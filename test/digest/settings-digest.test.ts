import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { confirmSubscription, subscribe, subscriberToken } from '../../src/services/subscriptions.js';
import { findSubscriberByEmail } from '../../src/store/subscriber-store.js';
import { TEST_SECRET, testApp } from '../helpers/app.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

const PW = 'correct horse battery staple';

/** A logged-in user manages the digest from the settings page. */
describe.each(TEST_DIALECTS)('settings: email digest section (%s)', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let ctx: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ({ server, ctx } = await communityServer(db, { SECRET_KEY: TEST_SECRET, NEW_ACCOUNT_HOURS: '0' }));
    await createUser(ctx, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  it('offers to subscribe, then shows the state and a working preferences link', async () => {
    const jar = new Map<string, string>();
    const page = await server.inject({ method: 'GET', url: '/login' });
    collectCookies(jar, page.headers['set-cookie']);
    const login = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(jar) },
      payload: { login: 'ada', password: PW, _csrf: csrfFrom(page.body) },
    });
    collectCookies(jar, login.headers['set-cookie']);
    const before = await server.inject({ method: 'GET', url: '/settings', headers: { cookie: cookieHeader(jar) } });
    expect(before.body).toContain('Email digest');
    expect(before.body).toContain('<form method="post" action="/subscribe"');

    const app = testApp(db, { SECRET_KEY: TEST_SECRET });
    await subscribe(app, 'ada@example.org');
    const sub = (await findSubscriberByEmail(db, 'ada@example.org'))!;
    await confirmSubscription(app, subscriberToken(app, 'confirm', sub));
    const after = await server.inject({ method: 'GET', url: '/settings', headers: { cookie: cookieHeader(jar) } });
    expect(after.body).toMatch(/Trending papers by email: <strong>active<\/strong>/);
    const link = /href="[^"]*(\/preferences\?token=[^"]+)"/.exec(after.body)![1].replace(/&amp;/g, '&');
    const prefs = await server.inject({ method: 'GET', url: link });
    expect(prefs.statusCode).toBe(200);
    expect(prefs.body).toContain('Digest preferences');
  });
});
