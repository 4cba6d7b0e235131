import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { buildServer } from '../../src/http/server.js';
import { CLI_ACTOR, createApiToken, createUser, toActor } from '../../src/services/accounts.js';
import { hideComment } from '../../src/services/comments.js';
import { findUserByUsername } from '../../src/store/user-store.js';
import { testApp } from '../helpers/app.js';
import { makePapers } from '../helpers/community.js';
import { communityServer } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * A paper's discussion through the API: listing (threaded, paged, hidden comments marked without
 * their text, the same answer for everyone), editing and deleting one's own, with token scopes.
 */
const PW = 'correct horse battery staple';
const PAPER = '2601.00300';
const OTHER = '2601.00301';

describe.each(TEST_DIALECTS)('comments API on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: App;
  const tokens: Record<string, string> = {};

  beforeEach(async () => {
    db = await createTestDb(dialect);
    app = testApp(db, { NEW_ACCOUNT_HOURS: '0', RATE_LIMIT_COMMENT: '30/300/10m' });
    // Stale shared copies refresh on the next request (the site waits a second between refreshes).
    server = await buildServer(app, { cache: { refreshMinMs: 0, refreshRenderMultiple: 0 } });
    await makePapers(db, [PAPER, OTHER]);
    for (const [name, role] of [
      ['ada', 'user'],
      ['bob', 'user'],
      ['cleo', 'curator'],
    ] as const) {
      await createUser(app, CLI_ACTOR, { username: name, email: `${name}@example.org`, password: PW, role });
      tokens[name] = (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: name })).token;
      tokens[`${name}-read`] = (
        await createApiToken(app, CLI_ACTOR, { name: 'r', scope: 'read', username: name })
      ).token;
    }
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who?: string, payload?: object) => {
    const r = await server.inject({
      method,
      url,
      headers: who ? { authorization: `Bearer ${tokens[who]}` } : {},
      payload,
    });
    return { status: r.statusCode, body: r.body ? r.json() : null };
  };
  const post = async (who: string, text: string, parent?: string) =>
    (
      await call(
        'POST',
        parent ? `/api/papers/${PAPER}/comment/${parent}/reply` : `/api/papers/${PAPER}/comment`,
        who,
        { comment: text },
      )
    ).body.comment.id as string;
  const list = (query = '', who?: string) => call('GET', `/api/papers/${PAPER}/comments${query}`, who);

  it('lists threads with their replies, oldest first, for anyone', async () => {
    const a = await post('ada', 'First **thread**');
    const a1 = await post('bob', 'A reply', a);
    const a11 = await post('ada', 'A reply to the reply', a1);
    const b = await post('bob', 'Second thread');
    const r = await list();
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ paperId: PAPER, numComments: 4, threadCount: 2, p: 0, limit: 20 });
    expect(r.body.comments.map((c: any) => c.id)).toEqual([a, b]);
    const first = r.body.comments[0];
    expect(first).toMatchObject({
      id: a,
      parentId: null,
      author: 'ada',
      state: 'visible',
      hiddenReason: null,
      markdown: 'First **thread**',
      editedAt: null,
    });
    expect(first.html).toContain('<strong>thread</strong>');
    expect(first.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(first.replies.map((c: any) => [c.id, c.parentId, c.author])).toEqual([[a1, a, 'bob']]);
    expect(first.replies[0].replies.map((c: any) => c.id)).toEqual([a11]);
    // A token changes nothing: one answer for everyone, so it can be shared from the cache.
    expect((await list('', 'cleo-read')).body).toEqual(r.body);
    expect((await call('GET', `/api/papers/arXiv:${PAPER}v3/comments`)).body.comments).toHaveLength(2);
  });

  it('pages by top-level thread', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await post('ada', `Thread ${i}`));
    await post('bob', 'Reply stays with its thread', ids[3]);
    const seen: string[] = [];
    for (let p = 0; p < 3; p++) {
      const r = await list(`?p=${p}&limit=2`);
      expect(r.body.threadCount).toBe(5);
      seen.push(...r.body.comments.map((c: any) => c.id));
    }
    expect(seen).toEqual(ids);
    expect((await list('?p=1&limit=2')).body.comments[1].replies).toHaveLength(1);
    expect((await list('?p=9&limit=2')).body.comments).toEqual([]);
  });

  it('marks hidden comments without their text, for moderators too, and keeps deleted ones with replies as placeholders', async () => {
    const spam = await post('bob', 'Buy things at example.com');
    const parent = await post('ada', 'A thread that will lose its root');
    const reply = await post('bob', 'A reply that stays', parent);
    const gone = await post('ada', 'Deleted, no replies');
    const cleo = toActor((await findUserByUsername(db, 'cleo'))!, 'session');
    await hideComment(app, cleo, Number(spam), 'spam');
    expect((await call('DELETE', `/api/papers/${PAPER}/comment/${parent}`, 'ada')).status).toBe(200);
    expect((await call('DELETE', `/api/papers/${PAPER}/comment/${gone}`, 'ada')).status).toBe(200);
    for (const who of [undefined, 'cleo']) {
      const r = await list('', who);
      expect(r.body.comments.map((c: any) => c.id)).toEqual([spam, parent]);
      expect(r.body.comments[0]).toMatchObject({
        state: 'hidden',
        hiddenReason: 'spam',
        author: 'bob',
        markdown: null,
        html: null,
      });
      expect(JSON.stringify(r.body)).not.toContain('Buy things');
      expect(r.body.comments[1]).toMatchObject({ state: 'deleted', author: null, markdown: null, html: null });
      expect(r.body.comments[1].replies.map((c: any) => [c.id, c.state])).toEqual([[reply, 'visible']]);
      expect(r.body.numComments).toBe(1);
    }
  });

  it('edits your own comment with a write token, and refuses everyone else', async () => {
    const mine = await post('ada', 'Original');
    const url = `/api/papers/${PAPER}/comment/${mine}`;
    expect((await call('PATCH', url, undefined, { comment: 'x' })).status).toBe(401);
    expect((await call('PATCH', url, 'ada-read', { comment: 'x' })).status).toBe(403);
    expect((await call('PATCH', url, 'bob', { comment: 'x' })).status).toBe(403);
    expect((await call('PATCH', url, 'cleo', { comment: 'x' })).status).toBe(403);
    await list(); // a cached copy, which the edit must make stale
    const ok = await call('PATCH', url, 'ada', { comment: 'Edited _now_' });
    expect(ok.status).toBe(200);
    expect(ok.body.comment).toMatchObject({ id: mine, markdown: 'Edited _now_', state: 'visible', author: 'ada' });
    expect(ok.body.comment.html).toContain('<em>now</em>');
    expect(ok.body.comment.editedAt).not.toBeNull();
    // Signed-in readers see it at once; the shared copy is refreshed in the background (http/cache.ts).
    expect((await list('', 'bob-read')).body.comments[0].markdown).toBe('Edited _now_');
    await list();
    for (let i = 0; i < 20; i++) await new Promise((res) => setTimeout(res, 5));
    expect((await list()).body.comments[0].markdown).toBe('Edited _now_');
  });

  it('deletes your own comment; a moderator may delete anyone’s', async () => {
    const mine = await post('ada', 'Mine');
    const theirs = await post('bob', 'Theirs');
    const url = (id: string) => `/api/papers/${PAPER}/comment/${id}`;
    expect((await call('DELETE', url(mine), undefined)).status).toBe(401);
    expect((await call('DELETE', url(mine), 'ada-read')).status).toBe(403);
    expect((await call('DELETE', url(mine), 'bob')).status).toBe(403);
    const ok = await call('DELETE', url(mine), 'ada');
    expect(ok).toEqual({ status: 200, body: { id: mine, deleted: true } });
    expect((await call('DELETE', url(mine), 'ada')).status).toBe(404);
    expect((await call('DELETE', url(theirs), 'cleo')).status).toBe(200);
    expect((await list()).body).toMatchObject({ numComments: 0, threadCount: 0, comments: [] });
  });

  it('answers bad input with a 4xx naming the parameter, never a 500', async () => {
    const mine = await post('ada', 'Mine');
    const cases: Array<[string, string, object | undefined, number, string | null]> = [
      ['GET', `/api/papers/${PAPER}/comments?p=-1`, undefined, 400, 'p'],
      ['GET', `/api/papers/${PAPER}/comments?limit=0`, undefined, 400, 'limit'],
      ['GET', `/api/papers/${PAPER}/comments?limit=101`, undefined, 400, 'limit'],
      ['GET', `/api/papers/${PAPER}/comments?limit=2&limit=3`, undefined, 400, 'limit'],
      ['GET', '/api/papers/2601.99999/comments', undefined, 404, null],
      ['PATCH', `/api/papers/${PAPER}/comment/${mine}`, {}, 400, 'comment'],
      ['PATCH', `/api/papers/${PAPER}/comment/${mine}`, { comment: '   ' }, 400, 'comment'],
      ['PATCH', `/api/papers/${PAPER}/comment/${mine}`, { comment: 'x'.repeat(10_001) }, 400, 'comment'],
      ['PATCH', `/api/papers/${PAPER}/comment/${mine}`, { comment: 42 }, 400, 'comment'],
      ['PATCH', `/api/papers/${PAPER}/comment/abc`, { comment: 'x' }, 404, 'commentId'],
      ['PATCH', `/api/papers/${PAPER}/comment/99999999999999`, { comment: 'x' }, 404, 'commentId'],
      ['PATCH', `/api/papers/${OTHER}/comment/${mine}`, { comment: 'x' }, 404, 'commentId'],
      ['DELETE', `/api/papers/${OTHER}/comment/${mine}`, undefined, 404, 'commentId'],
      ['DELETE', `/api/papers/nope/comment/${mine}`, undefined, 404, null],
    ];
    for (const [method, url, payload, status, parameter] of cases) {
      const r = await call(method as never, url, 'ada', payload);
      expect(r.status, `${method} ${url}`).toBe(status);
      expect(typeof r.body.error, `${method} ${url}`).toBe('string');
      if (parameter) expect(r.body.parameter, `${method} ${url}`).toBe(parameter);
    }
  });
});

describe.each(TEST_DIALECTS)('comments API rate limit on %s', (dialect) => {
  it('counts edits against the named comment limit, as the page’s edit does', async () => {
    const db = await createTestDb(dialect);
    const { server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0', RATE_LIMIT_COMMENT: '3/100/1h' });
    try {
      await makePapers(db, [PAPER]);
      await createUser(app, CLI_ACTOR, { username: 'ada', email: 'ada@example.org', password: PW });
      const token = (await createApiToken(app, CLI_ACTOR, { name: 'w', scope: 'write', username: 'ada' })).token;
      const headers = { authorization: `Bearer ${token}` };
      const made = await server.inject({
        method: 'POST',
        url: `/api/papers/${PAPER}/comment`,
        headers,
        payload: { comment: 'one' },
      });
      const id = made.json().comment.id;
      const edit = (n: number) =>
        server.inject({
          method: 'PATCH',
          url: `/api/papers/${PAPER}/comment/${id}`,
          headers,
          payload: { comment: `v${n}` },
        });
      expect((await edit(1)).statusCode).toBe(200);
      expect((await edit(2)).statusCode).toBe(200);
      const refused = await edit(3);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});
