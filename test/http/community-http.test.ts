import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import { makePapers } from '../helpers/community.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

const PW = 'correct horse battery staple';

describe.each(TEST_DIALECTS)('community HTTP on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let ctx: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    // Behind a TLS-terminating proxy on this machine: its X-Forwarded-Proto is believed.
    ({ server, ctx } = await communityServer(db, {
      RATE_LIMIT_LOGIN: '3/50/15m',
      NEW_ACCOUNT_HOURS: '0',
      TRUSTED_PROXIES: '127.0.0.1',
    }));
    await createUser(ctx, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  async function loginAs(login: string, https = false) {
    const jar = new Map<string, string>();
    const page = await server.inject({ method: 'GET', url: '/login' });
    collectCookies(jar, page.headers['set-cookie']);
    const res = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(jar), ...(https ? { 'x-forwarded-proto': 'https' } : {}) },
      payload: { login, password: PW, _csrf: csrfFrom(page.body) },
    });
    collectCookies(jar, res.headers['set-cookie']);
    return { res, jar };
  }

  it('rejects state changes without the CSRF token, and accepts them with it', async () => {
    const page = await server.inject({ method: 'GET', url: '/signup' });
    const jar = new Map<string, string>();
    collectCookies(jar, page.headers['set-cookie']);
    const payload = { username: 'bob', email: 'bob@example.org', password: PW };
    const none = await server.inject({
      method: 'POST',
      url: '/signup',
      headers: { cookie: cookieHeader(jar) },
      payload,
    });
    expect(none.statusCode).toBe(403);
    const forged = await server.inject({
      method: 'POST',
      url: '/signup',
      headers: { cookie: cookieHeader(jar) },
      payload: { ...payload, _csrf: 'forged' },
    });
    expect(forged.statusCode).toBe(403);
    const ok = await server.inject({
      method: 'POST',
      url: '/signup',
      headers: { cookie: cookieHeader(jar) },
      payload: { ...payload, _csrf: csrfFrom(page.body) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Check your mail');
    // A logged-in user's token is tied to the session: another session's token fails.
    const a = await loginAs('ada');
    const b = await loginAs('ada');
    const pageA = await server.inject({ method: 'GET', url: '/settings', headers: { cookie: cookieHeader(a.jar) } });
    const cross = await server.inject({
      method: 'POST',
      url: '/settings/privacy',
      headers: { cookie: cookieHeader(b.jar) },
      payload: { _csrf: csrfFrom(pageA.body) },
    });
    expect(cross.statusCode).toBe(403);
  });

  it('sets session cookies HttpOnly, SameSite=Lax, Secure behind HTTPS, rotated at login', async () => {
    const plain = await loginAs('ada');
    expect(plain.res.statusCode).toBe(303);
    const cookie = [plain.res.headers['set-cookie']].flat().find((c) => c!.startsWith('pb_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const secure = await loginAs('ada', true);
    const sc = [secure.res.headers['set-cookie']].flat().find((c) => c!.startsWith('pb_session='))!;
    expect(sc).toMatch(/Secure/);
    expect(secure.jar.get('pb_session')).not.toBe(plain.jar.get('pb_session'));
  });

  it('throttles logins with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 4; i++) {
      const page = await server.inject({ method: 'GET', url: '/login' });
      const jar = new Map<string, string>();
      collectCookies(jar, page.headers['set-cookie']);
      const r = await server.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: cookieHeader(jar) },
        payload: { login: 'ada', password: 'wrong password', _csrf: csrfFrom(page.body) },
      });
      statuses.push(r.statusCode);
      retryAfter = r.headers['retry-after'] as string | undefined;
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('upvotes with a plain form (redirect) and in place (JSON)', async () => {
    await makePapers(db, ['2601.00100']);
    const { jar } = await loginAs('ada');
    const page = await server.inject({
      method: 'GET',
      url: '/papers/2601.00100',
      headers: { cookie: cookieHeader(jar) },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const csrf = csrfFrom(page.body);
    const form = await server.inject({
      method: 'POST',
      url: '/papers/2601.00100/upvote',
      headers: { cookie: cookieHeader(jar) },
      payload: { up: '1', _csrf: csrf },
    });
    expect(form.statusCode).toBe(303);
    const json = await server.inject({
      method: 'POST',
      url: '/papers/2601.00100/upvote',
      headers: { cookie: cookieHeader(jar), accept: 'application/json' },
      payload: { up: '0', _csrf: csrf },
    });
    expect(json.json()).toMatchObject({ upvotes: 0, voted: false });
    // Logged out, the same button leads to log-in and back to the page it was on; nothing is counted.
    const anon = await server.inject({
      method: 'POST',
      url: '/papers/2601.00100/upvote',
      headers: { referer: 'http://localhost:80/papers/2601.00100' },
      payload: { up: '1' },
    });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe(`/login?next=${encodeURIComponent('/papers/2601.00100')}`);
  });

  it('API: 401 without a token, 403 with a read token, works with a write token', async () => {
    await makePapers(db, ['2601.00200', '2601.00201']);
    const read = (await createApiToken(ctx, CLI_ACTOR, { name: 'r', scope: 'read', username: 'ada' })).token;
    const write = (await createApiToken(ctx, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token;
    const call = (method: 'POST' | 'DELETE' | 'GET', url: string, token?: string, payload?: object) =>
      server.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, payload });
    expect((await call('POST', '/api/papers/2601.00200/upvote')).statusCode).toBe(401);
    expect((await call('POST', '/api/papers/2601.00200/upvote', 'pb_not-a-token')).statusCode).toBe(401);
    expect((await call('POST', '/api/papers/2601.00200/upvote', read)).statusCode).toBe(403);
    expect((await call('GET', '/api/whoami', read)).json()).toEqual({ username: 'ada', role: 'user', scope: 'read' });
    expect((await call('POST', '/api/papers/2601.00200/upvote', write)).json()).toMatchObject({
      upvotes: 1,
      voted: true,
    });
    expect((await call('DELETE', '/api/papers/2601.00200/upvote', write)).json()).toMatchObject({
      upvotes: 0,
      voted: false,
    });
    const c = await call('POST', '/api/papers/2601.00200/comment', write, { comment: 'Hello <b>world</b>' });
    expect(c.statusCode).toBe(201);
    const id = c.json().comment.id;
    const r = await call('POST', `/api/papers/2601.00200/comment/${id}/reply`, write, { comment: 'a reply' });
    expect(r.json().comment.parentId).toBe(id);
    expect((await call('POST', '/api/papers/2601.00200/comment', write, {})).statusCode).toBe(400);
    expect((await call('POST', '/api/papers/2601.00200/comment/99999/reply', write, { comment: 'x' })).statusCode).toBe(
      404,
    );
    expect((await call('POST', '/api/daily_papers', write, { arxivId: 'arXiv:2601.00201' })).statusCode).toBe(201);
    const dup = await call('POST', '/api/daily_papers', write, { arxivId: '2601.00201' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().url).toBe('/papers/2601.00201');
    expect((await call('POST', '/api/papers/index', write, { arxivId: '2601.00200' })).json()).toMatchObject({
      indexed: false,
    });
    expect((await call('POST', '/api/papers/index', write, { arxivId: '2601.99999' })).statusCode).toBe(404);
    const doc = (await call('GET', '/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/papers/{id}/comment',
        '/api/papers/{id}/comment/{commentId}/reply',
        '/api/papers/index',
        '/api/papers/{id}/upvote',
        '/api/daily_papers',
      ]),
    );
  });

  it('guards moderation and admin routers', async () => {
    const { jar } = await loginAs('ada');
    expect(
      (await server.inject({ method: 'GET', url: '/moderation', headers: { cookie: cookieHeader(jar) } })).statusCode,
    ).toBe(403);
    expect((await server.inject({ method: 'GET', url: '/moderation' })).statusCode).toBe(302);
    expect((await server.inject({ method: 'GET', url: '/moderation/log' })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: '/users/nobody' })).statusCode).toBe(404);
    expect((await server.inject({ method: 'GET', url: '/papers/not-an-id' })).statusCode).toBe(400);
  });

  it('treats SQL metacharacters in every form field as text', async () => {
    const evil = `x' OR '1'='1'; DROP TABLE users; --`;
    const page = await server.inject({ method: 'GET', url: '/login' });
    const jar = new Map<string, string>();
    collectCookies(jar, page.headers['set-cookie']);
    const csrf = csrfFrom(page.body);
    const post = (url: string, payload: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar) },
        payload: { ...payload, _csrf: csrf },
      });
    expect((await post('/login', { login: evil, password: evil })).statusCode).toBe(401);
    expect((await post('/login', { login: "ada' --", password: 'x' })).statusCode).toBe(401);
    expect((await post('/signup', { username: evil, email: 'e@example.org', password: PW })).statusCode).toBe(400);
    expect((await post('/signup', { username: 'evil', email: `${evil}@example.org`, password: PW })).statusCode).toBe(
      400,
    );
    expect((await post('/reset-password', { email: evil })).statusCode).toBe(200);
    await makePapers(db, ['2601.00300']);
    const a = await loginAs('ada');
    const paper = await server.inject({
      method: 'GET',
      url: '/papers/2601.00300',
      headers: { cookie: cookieHeader(a.jar) },
    });
    const post2 = (url: string, payload: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(a.jar) },
        payload: { ...payload, _csrf: csrfFrom(paper.body) },
      });
    expect((await post2('/papers/2601.00300/comments', { comment: evil })).statusCode).toBe(303);
    expect((await post2('/submit', { arxivId: evil })).statusCode).toBe(400);
    expect((await post2('/settings/tokens', { name: evil, scope: evil })).statusCode).toBe(200);
    expect((await server.inject({ method: 'GET', url: `/users/${encodeURIComponent(evil)}` })).statusCode).toBe(404);
    const after = await server.inject({ method: 'GET', url: '/papers/2601.00300' });
    expect(after.body).toContain('DROP TABLE users; --');
    expect((await db.kysely.selectFrom('users').select('username').execute()).map((u) => u.username)).toEqual(['ada']);
  });

  it('curators create organisations with a form; users flag a submission into the queue', async () => {
    await createUser(ctx, CLI_ACTOR, { username: 'cura', email: 'cura@example.org', role: 'curator', password: PW });
    await makePapers(db, ['2601.00400']);
    const cur = await loginAs('cura');
    const form = await server.inject({
      method: 'GET',
      url: '/new-organisation',
      headers: { cookie: cookieHeader(cur.jar) },
    });
    expect(form.statusCode).toBe(200);
    const made = await server.inject({
      method: 'POST',
      url: '/orgs',
      headers: { cookie: cookieHeader(cur.jar) },
      payload: { name: 'acme', fullname: 'Acme Research', _csrf: csrfFrom(form.body) },
    });
    expect(made.headers.location).toBe('/orgs/acme/members');
    expect((await server.inject({ method: 'GET', url: '/orgs/acme/members' })).body).toContain('cura');
    const ada = await loginAs('ada');
    const sub = await server.inject({ method: 'GET', url: '/submit', headers: { cookie: cookieHeader(ada.jar) } });
    expect(
      (
        await server.inject({
          method: 'POST',
          url: '/submit',
          headers: { cookie: cookieHeader(ada.jar) },
          payload: { arxivId: '2601.00400', _csrf: csrfFrom(sub.body) },
        })
      ).statusCode,
    ).toBe(303);
    const page = await server.inject({
      method: 'GET',
      url: '/papers/2601.00400',
      headers: { cookie: cookieHeader(cur.jar) },
    });
    const action = /action="(\/submissions\/\d+\/flag)"/.exec(page.body)![1];
    expect(
      (
        await server.inject({
          method: 'POST',
          url: action,
          headers: { cookie: cookieHeader(cur.jar) },
          payload: { reason: 'off-topic', _csrf: csrfFrom(page.body) },
        })
      ).statusCode,
    ).toBe(200);
    const queue = await server.inject({
      method: 'GET',
      url: '/moderation',
      headers: { cookie: cookieHeader(cur.jar) },
    });
    expect(queue.body).toContain('off-topic');
    expect(queue.body).toContain('submission');
  });
});
