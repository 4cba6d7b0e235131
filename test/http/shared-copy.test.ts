import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { makePapers } from '../helpers/community.js';
import { communityServer, cookieHeader, logIn } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * The server answers a fresh shared copy of a cached page before resolving the caller (server.ts,
 * freshSharedCopy). It must answer exactly what the full path answers: the same bytes and headers,
 * the same 400s for parameters it refuses, and never the shared copy to a signed-in reader or a
 * caller with a token.
 */
const PW = 'correct horse battery staple';
/** Headers that differ between two answers by design. */
const PER_RESPONSE = new Set(['x-request-id', 'date']);

function stable(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !PER_RESPONSE.has(k)));
}

describe.each(TEST_DIALECTS)('shared cached copies on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;

  beforeEach(async () => {
    db = await createTestDb(dialect);
    let app: Awaited<ReturnType<typeof communityServer>>['app'];
    ({ server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
    await makePapers(db, ['2601.00100', '2601.00101']);
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  it('answers a cached page with the bytes and headers of its render', async () => {
    const rendered = await server.inject({ url: '/' });
    const hitsBefore = server.responseCache.stats.hits;
    const cached = await server.inject({ url: '/' });
    expect(server.responseCache.stats.hits).toBe(hitsBefore + 1);
    expect(cached.statusCode).toBe(200);
    expect(cached.body).toBe(rendered.body);
    expect(stable(cached.headers)).toEqual(stable(rendered.headers));
    expect(cached.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(cached.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(cached.headers['x-request-id']).not.toBe(rendered.headers['x-request-id']);
    // Parameters the page does not declare share its copy; a HEAD gets the headers alone.
    expect((await server.inject({ url: '/?utm_source=x' })).body).toBe(rendered.body);
    const head = await server.inject({ method: 'HEAD', url: '/' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses a parameter it would refuse on a render, after the page is cached', async () => {
    await server.inject({ url: '/' });
    await server.inject({ url: '/?page=1' });
    const twice = await server.inject({ url: '/?page=1&page=2', headers: { accept: 'application/json' } });
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ parameter: 'page' });
    const api = await server.inject({ url: '/api/daily_papers' });
    expect(api.statusCode).toBe(200);
    expect((await server.inject({ url: '/api/daily_papers' })).body).toBe(api.body);
  });

  it('never answers a signed-in reader or a token holder from the shared copy', async () => {
    const anonymous = await server.inject({ url: '/' });
    await server.inject({ url: '/' });
    const jar = await logIn(server, 'ada', PW);
    const mine = await server.inject({ url: '/', headers: { cookie: cookieHeader(jar) } });
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['cache-control']).toBe('private, no-store');
    expect(mine.body).not.toBe(anonymous.body);
    expect(mine.body).toContain('ada');

    await server.inject({ url: '/api/daily_papers' });
    const badToken = await server.inject({ url: '/api/daily_papers', headers: { authorization: 'Bearer nonsense' } });
    expect(badToken.statusCode).toBe(401);
  });
});
