import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { makePapers } from '../helpers/community.js';
import { communityServer, cookieHeader, csrfFrom, logIn } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

const PW = 'correct horse battery staple';

describe.each(TEST_DIALECTS)('/authors/{name} on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let ctx: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ({ server, ctx } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    await createUser(ctx, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
    await makePapers(db, ['2601.00101'], {
      authors: ['José García', 'Li Wei'],
      publishedAt: '2026-01-01T00:00:00.000Z',
    });
    await makePapers(db, ['2601.00102'], { authors: ['Jose Garcia'], publishedAt: '2026-01-03T00:00:00.000Z' });
    await makePapers(db, ['2601.00103'], { authors: ['J. García'], publishedAt: '2026-01-02T00:00:00.000Z' });
    await makePapers(db, ['2601.00104'], {
      authors: ['A. Smith', 'Anna Smith'],
      publishedAt: '2026-01-04T00:00:00.000Z',
    });
    await makePapers(db, ['2601.00105'], { authors: ['Adam Smith'], publishedAt: '2026-01-05T00:00:00.000Z' });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });
  const get = (url: string, cookie = '') => server.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const order = (body: string) => [...body.matchAll(/href="\/papers\/(2601\.\d+)"/g)].map((m) => m[1]);

  it('merges spellings of one person, newest first, and says so', async () => {
    const r = await get(`/authors/${encodeURIComponent('jose garcia')}`);
    expect(r.statusCode).toBe(200);
    expect([...new Set(order(r.body))]).toEqual(['2601.00102', '2601.00103', '2601.00101']);
    expect(r.body).toContain('also listed as');
    expect(r.body).toContain('J. García');
  });

  it('never merges initials two different people share', async () => {
    const r = await get('/authors/A.%20Smith');
    expect([...new Set(order(r.body))]).toEqual(['2601.00104']);
    expect(r.body).toContain('Several people may be listed');
    expect(r.body).toContain('href="/authors/Adam%20Smith"');
    const anna = await get('/authors/Anna%20Smith');
    expect([...new Set(order(anna.body))]).toEqual(['2601.00104']);
    expect(anna.body).not.toContain('also listed as');
  });

  it('an unknown author is an empty page, not a 404; a name without letters is a 400', async () => {
    const r = await get('/authors/Nobody%20Here');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('No papers listed under this name yet');
    const bad = await get('/authors/%20..%20');
    expect(bad.statusCode).toBe(400);
  });

  it('the paper page links its authors here', async () => {
    const r = await get('/papers/2601.00101');
    expect(r.body).toContain(`href="/authors/${encodeURIComponent('José García')}"`);
  });

  it('feeds the author’s papers as RSS and Atom', async () => {
    const rss = await get(`/feeds/authors/${encodeURIComponent('José García')}.xml`);
    expect(rss.statusCode).toBe(200);
    expect(rss.body).toContain('<rss');
    expect(rss.body).toContain('2601.00103');
    expect(rss.body).not.toContain('2601.00105');
    const atom = await get('/feeds/authors/Jose%20Garcia.atom');
    expect(atom.body).toContain('<feed');
    expect(atom.body).toContain('2601.00102');
  });

  it('Follow round-trips through the reader’s signals', async () => {
    const jar = await logIn(server, 'ada', PW);
    const path = '/authors/Jose%20Garcia';
    const page = await get(path, cookieHeader(jar));
    expect(page.body).toContain('>Follow</button>');
    const post = (url: string, payload: Record<string, string>) =>
      server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar), referer: `http://localhost${path}` },
        payload: { ...payload, _csrf: csrfFrom(page.body) },
      });
    const followed = await post('/for-you/signals', { kind: 'follow_author', value: 'Jose Garcia', back: 'author' });
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toBe(path);
    const after = await get(path, cookieHeader(jar));
    expect(after.body).toContain('unfollow');
    expect((await get('/settings/for-you', cookieHeader(jar))).body).toContain('Jose Garcia');
    await post('/for-you/signals/remove', { kind: 'follow_author', value: 'jose garcia', back: 'author' });
    expect((await get(path, cookieHeader(jar))).body).toContain('>Follow</button>');
  });
});
