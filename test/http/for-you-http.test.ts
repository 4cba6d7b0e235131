import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import { makePapers } from '../helpers/community.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

const PW = 'correct horse battery staple';

describe.each(TEST_DIALECTS)('For you over HTTP on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let ctx: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ({ server, ctx } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    for (const u of ['ada', 'bob'])
      await createUser(ctx, CLI_ACTOR, { username: u, email: `${u}@example.org`, password: PW });
    await makePapers(db, ['2601.00101', '2601.00102', '2601.00103'], { publishedAt: new Date().toISOString() });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  async function loginAs(login: string) {
    const jar = new Map<string, string>();
    const page = await server.inject({ method: 'GET', url: '/login' });
    collectCookies(jar, page.headers['set-cookie']);
    const res = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(jar) },
      payload: { login, password: PW, _csrf: csrfFrom(page.body) },
    });
    collectCookies(jar, res.headers['set-cookie']);
    return jar;
  }

  it('"not interested" and "more like this" work as plain forms from a card', async () => {
    const jar = await loginAs('ada');
    const get = (url: string) => server.inject({ method: 'GET', url, headers: { cookie: cookieHeader(jar) } });
    const first = await get('/for-you');
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('no signals yet');
    expect(first.body).toContain('action="/papers/2601.00102/not-interested"');
    const csrf = csrfFrom(first.body);
    const post = (url: string, payload: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar), referer: 'http://localhost/for-you' },
        payload: { ...payload, _csrf: csrf },
      });
    const muted = await post('/papers/2601.00102/not-interested', {});
    expect(muted.statusCode).toBe(303);
    expect(muted.headers.location).toBe('/for-you');
    expect((await get('/for-you')).body).not.toContain('href="/papers/2601.00102"');
    expect((await post('/papers/2601.00101/more-like-this', {})).statusCode).toBe(303);
    expect((await post('/for-you/signals', { kind: 'follow_author', value: 'Ada Lovelace' })).headers.location).toBe(
      '/settings/for-you',
    );
    const settings = await get('/settings/for-you');
    expect(settings.body).toContain('Not interested in paper');
    expect(settings.body).toContain('Following author');
    // Bad input is a 400 naming the field.
    const bad = await post('/for-you/signals', { kind: 'follow_everything', value: 'x' });
    expect(bad.statusCode).toBe(400);
    expect((await get('/for-you?period=month')).statusCode).toBe(400);
    // Removing the mute from settings brings the paper back.
    await post('/for-you/signals/remove', {
      kind: 'mute_paper',
      value: settings.body.match(/name="kind" value="mute_paper"><input type="hidden" name="value" value="(\d+)"/)![1],
    });
    expect((await get('/for-you')).body).toContain('href="/papers/2601.00102"');
  });

  it('a reader’s signals never reach another reader, by page or by token', async () => {
    const ada = await loginAs('ada');
    const page = await server.inject({ method: 'GET', url: '/for-you', headers: { cookie: cookieHeader(ada) } });
    await server.inject({
      method: 'POST',
      url: '/for-you/signals',
      headers: { cookie: cookieHeader(ada) },
      payload: { kind: 'follow_search', value: 'secret ada topic', _csrf: csrfFrom(page.body) },
    });
    const bob = await loginAs('bob');
    const bobSettings = await server.inject({
      method: 'GET',
      url: '/settings/for-you',
      headers: { cookie: cookieHeader(bob) },
    });
    expect(bobSettings.body).not.toContain('secret ada topic');
    const adaRead = (await createApiToken(ctx, CLI_ACTOR, { name: 'r', scope: 'read', username: 'ada' })).token;
    const bobRead = (await createApiToken(ctx, CLI_ACTOR, { name: 'r', scope: 'read', username: 'bob' })).token;
    const api = (token?: string, q = '') =>
      server.inject({
        method: 'GET',
        url: `/api/for-you${q}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await api()).statusCode).toBe(401);
    const a = (await api(adaRead)).json();
    const b = (await api(bobRead)).json();
    expect(a.fallback).toBe(false); // ada follows a search
    expect(b.fallback).toBe(true);
    expect(JSON.stringify(b)).not.toContain('secret ada topic');
    expect(b.papers).toHaveLength(3);
    expect((await api(adaRead, '?limit=0')).json()).toMatchObject({ parameter: 'limit' });
  });

  it('a private feed answers its own reader only, and stops when revoked', async () => {
    const jar = await loginAs('ada');
    const settings = await server.inject({
      method: 'GET',
      url: '/settings/for-you',
      headers: { cookie: cookieHeader(jar) },
    });
    const csrf = csrfFrom(settings.body);
    const post = (url: string, payload: Record<string, string> = {}) =>
      server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar) },
        payload: { ...payload, _csrf: csrf },
      });
    await post('/for-you/signals', { kind: 'follow_author', value: 'Ada Lovelace' });
    const made = await post('/settings/for-you/feed');
    const rssUrl = /<code>https?:\/\/[^/]+(\/feeds\/for-you\/pbf_[^<]+\.xml)<\/code>/.exec(made.body)![1];
    const feed = await server.inject({ method: 'GET', url: rssUrl });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/rss+xml');
    expect(feed.headers['cache-control']).not.toMatch(/public/);
    expect(feed.body).toContain('For ada');
    expect(feed.body).toContain('Why: by Ada Lovelace, an author you follow');
    // Another address is not ada's; a guessed one is nothing.
    expect((await server.inject({ method: 'GET', url: '/feeds/for-you/pbf_guess.xml' })).statusCode).toBe(404);
    // A new address kills the old; revoking kills the new.
    const again = await post('/settings/for-you/feed');
    const second = /<code>https?:\/\/[^/]+(\/feeds\/for-you\/pbf_[^<]+\.atom)<\/code>/.exec(again.body)![1];
    expect((await server.inject({ method: 'GET', url: rssUrl })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: second })).statusCode).toBe(200);
    await post('/settings/for-you/feed/revoke');
    expect((await server.inject({ method: 'GET', url: second })).statusCode).toBe(404);
  });
});
