import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, createApiToken, createUser } from '../../src/services/accounts.js';
import type { TestApp } from '../helpers/app.js';
import { makePapers } from '../helpers/community.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * Issue #15's findings, each a regression test: malformed and hostile requests get a 4xx naming
 * what is wrong (never a 500), per-IP limits cannot be dodged with X-Forwarded-For, answers do not
 * reveal which addresses have accounts, and anonymous requests change nothing cached.
 */
const PW = 'correct horse battery staple';

describe.each(TEST_DIALECTS)('hostile requests on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: TestApp;
  const setup = async (env: Record<string, string> = {}) => {
    db = await createTestDb(dialect);
    ({ server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0', ...env }));
    await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
    await makePapers(db, ['2601.00100']);
  };
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  /** A browser's first visit to a form: its pre-session cookie and the form's CSRF token. */
  async function formPage(url: string, headers: Record<string, string> = {}) {
    const jar = new Map<string, string>();
    const page = await server.inject({ url, headers });
    collectCookies(jar, page.headers['set-cookie']);
    return { jar, csrf: csrfFrom(page.body) };
  }

  async function loginAs(login: string) {
    const { jar, csrf } = await formPage('/login');
    const res = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(jar) },
      payload: { login, password: PW, _csrf: csrf },
    });
    collectCookies(jar, res.headers['set-cookie']);
    const settings = await server.inject({ url: '/settings', headers: { cookie: cookieHeader(jar) } });
    return { jar, csrf: csrfFrom(settings.body) };
  }

  describe('malformed requests', () => {
    beforeEach(() => setup());

    it('answers a repeated query parameter with a 400 naming it, on pages, the API and mail links', async () => {
      for (const [url, param] of [
        ['/papers?q=a&q=b', 'q'],
        ['/papers?org=a&org=b', 'org'],
        ['/unsubscribe?token=a&token=b', 'token'],
        ['/api/papers/search?q=a&q=b', 'q'],
        ['/api/daily_papers?date=2025-01-01&date=2025-01-02', 'date'],
      ]) {
        const r = await server.inject({ url });
        expect(r.statusCode, url).toBe(400);
        if (url.startsWith('/api/')) expect(r.json(), url).toMatchObject({ parameter: param });
        else expect(r.body, url).toContain(`&quot;${param}&quot;`);
      }
    });

    it('answers a duplicated form field with a 400 naming it', async () => {
      const { jar, csrf } = await formPage('/login');
      const body = `login=ada&login=bob&password=x&_csrf=${encodeURIComponent(csrf)}`;
      const r = await server.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('&quot;login&quot;');
      const me = await loginAs('ada');
      const twice = await server.inject({
        method: 'POST',
        url: '/settings/privacy',
        headers: { cookie: cookieHeader(me.jar), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `upvotes_public=1&upvotes_public=0&_csrf=${encodeURIComponent(me.csrf)}`,
      });
      expect(twice.statusCode).toBe(400);
    });

    it('answers a JSON field of the wrong type with a 400 naming it', async () => {
      const token = (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token;
      const r = await server.inject({
        method: 'POST',
        url: '/api/daily_papers',
        headers: { authorization: `Bearer ${token}` },
        payload: { arxivId: 5 },
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ parameter: 'arxivId' });
    });

    it('refuses NUL characters in paths, query parameters and form fields (PostgreSQL cannot store them)', async () => {
      expect((await server.inject({ url: '/users/a%00b' })).statusCode).toBe(400);
      expect((await server.inject({ url: '/orgs/a%00b' })).statusCode).toBe(400);
      expect((await server.inject({ url: '/papers?q=a%00b' })).statusCode).toBe(400);
      const me = await loginAs('ada');
      const r = await server.inject({
        method: 'POST',
        url: '/papers/2601.00100/comments',
        headers: { cookie: cookieHeader(me.jar) },
        payload: { comment: 'hello\u0000world', _csrf: me.csrf },
      });
      expect(r.statusCode).toBe(400);
      expect(r.body).toContain('&quot;comment&quot;');
    });

    it('survives a malformed Referer on a form vote: the vote counts, the answer is a redirect', async () => {
      const me = await loginAs('ada');
      const r = await server.inject({
        method: 'POST',
        url: '/papers/2601.00100/upvote',
        headers: { cookie: cookieHeader(me.jar), referer: 'http://[::1' },
        payload: { up: '1', _csrf: me.csrf },
      });
      expect(r.statusCode).toBe(303);
      expect(r.headers.location).toBe('/papers/2601.00100');
    });

    it('follows only same-site paths after log-in: no newline, no U+3000, no tab-slash trick', async () => {
      for (const next of [
        '/%09/evil.example/',
        '/\n/evil.example',
        '/\u3000/evil.example',
        '//evil.example',
        'https://evil.example',
      ]) {
        const { jar, csrf } = await formPage('/login');
        const r = await server.inject({
          method: 'POST',
          url: '/login',
          headers: { cookie: cookieHeader(jar) },
          payload: { login: 'ada', password: PW, next, _csrf: csrf },
        });
        expect(r.statusCode, JSON.stringify(next)).toBe(303);
        expect(r.headers.location, JSON.stringify(next)).toBe('/');
      }
    });
  });

  describe('accounts', () => {
    it('answers a taken username the same way whether or not the address has an account', async () => {
      await setup();
      const tryIt = async (email: string) => {
        const { jar, csrf } = await formPage('/signup');
        return server.inject({
          method: 'POST',
          url: '/signup',
          headers: { cookie: cookieHeader(jar) },
          payload: { username: 'ada', email, password: PW, _csrf: csrf },
        });
      };
      const known = await tryIt('ada@example.org');
      const unknown = await tryIt('someone-else@example.org');
      expect(known.statusCode).toBe(409);
      expect(unknown.statusCode).toBe(409);
    });

    it('answers a reset at once for known and unknown addresses alike, even with the mail server down', async () => {
      // A port nothing listens on: the mail cannot leave.
      await setup({ SMTP_URL: 'smtp://127.0.0.1:9?tls=off' });
      const reset = async (email: string) => {
        const { jar, csrf } = await formPage('/reset-password');
        return server.inject({
          method: 'POST',
          url: '/reset-password',
          headers: { cookie: cookieHeader(jar) },
          payload: { email, _csrf: csrf },
        });
      };
      const known = await reset('ada@example.org');
      const unknown = await reset('nobody@example.org');
      expect(known.statusCode).toBe(200);
      expect(unknown.statusCode).toBe(200);
      expect(known.body.replace(/name="_csrf" value="[^"]*"/g, '')).toBe(
        unknown.body.replace(/name="_csrf" value="[^"]*"/g, ''),
      );
    });
  });

  describe('per-IP limits and proxies', () => {
    const signup = async (i: number, headers: Record<string, string>) => {
      const { jar, csrf } = await formPage('/signup', headers);
      return server.inject({
        method: 'POST',
        url: '/signup',
        headers: { ...headers, cookie: cookieHeader(jar) },
        payload: { username: `u${i}`, email: `u${i}@example.org`, password: PW, _csrf: csrf },
      });
    };

    it('ignores X-Forwarded-For unless TRUSTED_PROXIES says so: rotating it does not reset the limit', async () => {
      await setup({ RATE_LIMIT_SIGNUP: '0/2/1h' });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await signup(i, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('behind a trusted proxy, counts the right-most address the proxy did not add', async () => {
      await setup({ RATE_LIMIT_SIGNUP: '0/2/1h', TRUSTED_PROXIES: '127.0.0.1' });
      const statuses = [];
      // The client forges the left part; the proxy appends what it saw (203.0.113.7).
      for (let i = 0; i < 3; i++)
        statuses.push((await signup(i, { 'x-forwarded-for': `198.51.100.${i}, 203.0.113.7` })).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
      expect((await signup(9, { 'x-forwarded-for': '203.0.113.8' })).statusCode).toBe(200);
    });
  });

  describe('subscribe and the shared cache', () => {
    beforeEach(() => setup({ RATE_LIMIT_SUBSCRIBE: '0/2/1h' }));

    it('takes the subscribe form only from this site, and limits it per IP', async () => {
      const post = (email: string, headers: Record<string, string> = {}) =>
        server.inject({ method: 'POST', url: '/subscribe', headers, payload: { email } });
      expect((await post('a@example.org', { origin: 'https://evil.example' })).statusCode).toBe(403);
      expect((await post('a@example.org', { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await post('a@example.org', { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
      expect((await post('b@example.org', { origin: 'http://localhost:80' })).statusCode).toBe(200);
      expect((await post('c@example.org', { 'sec-fetch-site': 'same-origin' })).statusCode).toBe(429);
    });

    it('lets no anonymous request empty the cache: a pre-session log-out changes nothing', async () => {
      await server.inject({ url: '/papers/2601.00100' });
      const before = server.responseCache.stats.hits;
      const { jar, csrf } = await formPage('/login');
      for (let i = 0; i < 5; i++) {
        const r = await server.inject({
          method: 'POST',
          url: '/logout',
          headers: { cookie: cookieHeader(jar) },
          payload: { _csrf: csrf },
        });
        expect(r.statusCode).toBe(303);
      }
      expect(app.contentVersion.changes).toEqual({ paper: 0, everything: 0, remote: 0 });
      await server.inject({ url: '/papers/2601.00100' });
      expect(server.responseCache.stats.hits).toBe(before + 1);
    });

    it('keys the cache on the parameters a route reads: junk parameters add no entries', async () => {
      const size = server.responseCache.size;
      for (let n = 0; n < 50; n++) {
        const r = await server.inject({ url: `/api/papers?limit=100&nocache=${n}` });
        expect(r.statusCode).toBe(200);
      }
      expect(server.responseCache.size).toBe(size + 1);
    });
  });
});
