import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { claimAuthorship } from '../../src/services/claims.js';
import { recordedImport } from '../../src/services/import-runs.js';
import { getJob } from '../../src/store/job-store.js';
import { makePapers, makeUser } from '../helpers/community.js';
import { collectCookies, communityServer, cookieHeader, csrfFrom } from '../helpers/community-server.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

const PW = 'correct horse battery staple';

describe.each(TEST_DIALECTS)('admin console over HTTP on %s', (dialect) => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: App;
  beforeEach(async () => {
    db = await createTestDb(dialect);
    ({ server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    await makeUser(app, 'root', 'admin', { password: PW });
    await makeUser(app, 'bob', 'user', { password: PW });
  });
  afterEach(async () => {
    await server?.close();
    await db?.drop();
  });

  async function login(name: string) {
    const jar = new Map<string, string>();
    const form = await server.inject({ method: 'GET', url: '/login' });
    collectCookies(jar, form.headers['set-cookie']);
    const res = await server.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: cookieHeader(jar) },
      payload: { login: name, password: PW, _csrf: csrfFrom(form.body) },
    });
    expect(res.statusCode).toBe(303);
    collectCookies(jar, res.headers['set-cookie']);
    const get = (url: string) => server.inject({ method: 'GET', url, headers: { cookie: cookieHeader(jar) } });
    const post = async (url: string, from: string, payload: Record<string, string> = {}) => {
      const page = await get(from);
      return server.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(jar), referer: `http://localhost${from}` },
        payload: { ...payload, _csrf: csrfFrom(page.body) },
      });
    };
    return { get, post, jar };
  }

  const auditRows = () => db.kysely.selectFrom('audit_log').selectAll().orderBy('id').execute();

  it('is for admins only: anonymous readers log in, other users are refused', async () => {
    const anon = await server.inject({ method: 'GET', url: '/admin/jobs' });
    expect(anon.statusCode).toBe(302);
    expect(anon.headers.location).toBe('/login?next=%2Fadmin%2Fjobs');
    const bob = await login('bob');
    for (const url of ['/admin', '/admin/jobs', '/admin/mail', '/admin/imports', '/admin/search', '/admin/users'])
      expect((await bob.get(url)).statusCode, url).toBe(403);
    const root = await login('root');
    const home = await root.get('/admin');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Readiness');
    expect(home.body).toContain('href="/moderation"');
  });

  it('lists jobs by state and type with payload and last error; retry and cancel are audited', async () => {
    const dead = await enqueueJob(db, 'prune-jobs', { keepDays: 3 }, { maxAttempts: 1 });
    await db.kysely
      .updateTable('jobs')
      .set({ state: 'dead', attempts: 1, last_error: 'Error: disk <full>' })
      .where('id', '=', dead.id)
      .execute();
    const queued = await enqueueJob(db, 'prune-jobs', { keepDays: 9 });
    const root = await login('root');
    const list = await root.get('/admin/jobs?state=dead');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Error: disk &lt;full&gt;');
    expect(list.body).toContain('&quot;keepDays&quot;: 3');
    expect(list.body).not.toContain('&quot;keepDays&quot;: 9');
    const bad = await root.get('/admin/jobs?state=bogus');
    expect(bad.statusCode).toBe(400);
    expect((await root.get('/admin/jobs?type=nope')).statusCode).toBe(400);

    // Without the CSRF token: refused, nothing changes.
    const forged = await server.inject({
      method: 'POST',
      url: `/admin/jobs/${dead.id}/retry`,
      headers: { cookie: cookieHeader(root.jar) },
    });
    expect(forged.statusCode).toBe(403);
    expect((await getJob(db, dead.id))?.state).toBe('dead');

    const retry = await root.post(`/admin/jobs/${dead.id}/retry`, '/admin/jobs?state=dead');
    expect(retry.statusCode).toBe(303);
    expect(retry.headers.location).toBe('/admin/jobs?state=dead');
    expect((await getJob(db, dead.id))?.state).toBe('queued');
    const cancel = await root.post(`/admin/jobs/${queued.id}/cancel`, '/admin/jobs');
    expect(cancel.statusCode).toBe(303);
    const cancelled = await getJob(db, queued.id);
    expect(cancelled?.state).toBe('dead');
    expect(cancelled?.last_error).toMatch(/^cancelled by root/);
    // A finished job cannot be cancelled: a clear 409, and no audit entry for it.
    expect((await root.post(`/admin/jobs/${queued.id}/cancel`, '/admin/jobs')).statusCode).toBe(409);

    const log = await auditRows();
    expect(log.map((a) => [a.action, a.target, a.actor_name])).toEqual([
      ['job.retry', `job:${dead.id}`, 'root'],
      ['job.cancel', `job:${queued.id}`, 'root'],
    ]);
    expect(log[0].request_id).toBeTruthy();
    expect(JSON.parse(log[0].detail!)).toEqual({ type: 'prune-jobs', was: 'dead' });
    const auditPage = await root.get('/admin/audit');
    expect(auditPage.body).toContain('job.cancel');
    expect(auditPage.body).toContain(log[1].request_id!);
  });

  it('shows failed digest mails and suppressions, and resends a failed one', async () => {
    const now = new Date().toISOString();
    const sub = await db.kysely
      .insertInto('subscribers')
      .values({
        email: 'gone@example.org',
        status: 'suppressed',
        frequency: 'daily',
        send_hour: 8,
        time_zone: 'UTC',
        paper_count: 10,
        categories: '[]',
        keywords: '[]',
        organizations: '[]',
        min_upvotes: 0,
        user_id: null,
        source: 'web',
        created_at: now,
        updated_at: now,
        suppressed_at: now,
        suppressed_reason: '550 no such user',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await db.kysely
      .insertInto('digest_outbox')
      .values({
        subscriber_id: sub.id,
        period_key: 'daily:2026-11-28',
        email: 'gone@example.org',
        paper_ids: '[]',
        message_id: '<x@example.org>',
        status: 'failed',
        next_attempt_at: now,
        last_error: '421 try later',
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const root = await login('root');
    const page = await root.get('/admin/mail');
    expect(page.body).toContain('421 try later');
    expect(page.body).toContain('550 no such user');
    const resend = await root.post(`/admin/mail/${row.id}/resend`, '/admin/mail');
    expect(resend.statusCode).toBe(303);
    const after = await db.kysely.selectFrom('digest_outbox').selectAll().where('id', '=', row.id).executeTakeFirst();
    expect(after?.status).toBe('pending');
    expect((await root.post(`/admin/mail/${row.id}/resend`, '/admin/mail')).statusCode).toBe(409);
    expect((await auditRows()).map((a) => a.action)).toEqual(['mail.resend']);
  });

  it('shows import runs with their rejects, the search index, and changes a role with an audit entry', async () => {
    await recordedImport(app, 'kaggle', 'cli', async () => ({
      read: 3,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      rejects: [{ file: 'snap.json', line: 7, reason: 'no arXiv id' }],
      files: 1,
    }));
    const root = await login('root');
    const imports = await root.get('/admin/imports');
    expect(imports.body).toContain('snap.json:7');
    expect(imports.body).toContain('no arXiv id');

    const search = await root.get('/admin/search');
    expect(search.body).toContain('not loaded');
    expect((await root.post('/admin/search/rebuild', '/admin/search')).statusCode).toBe(303);

    const users = await root.get('/admin/users?q=bo');
    expect(users.body).toContain('bob@example.org');
    expect(users.body).not.toContain('root@example.org');
    const role = await root.post('/admin/users/bob/role', '/admin/users?q=bo', { role: 'curator' });
    expect(role.statusCode).toBe(303);
    expect(role.headers.location).toBe('/admin/users?q=bo');
    const bob = await db.kysely.selectFrom('users').select('role').where('username', '=', 'bob').executeTakeFirst();
    expect(bob?.role).toBe('curator');
    const log = await auditRows();
    expect(log.map((a) => [a.action, a.target])).toEqual([
      ['search.rebuild', 'search-index'],
      ['user.role', 'user:bob'],
    ]);
    expect(JSON.parse(log[1].detail!)).toEqual({ role: 'curator' });
    // An unknown role is a 400 naming the field, not a quiet demotion.
    const bogus = await root.post('/admin/users/bob/role', '/admin/users?q=bo', { role: 'owner' });
    expect(bogus.statusCode).toBe(400);
    expect(bogus.body).toContain('Unknown role');
    const still = await db.kysely.selectFrom('users').select('role').where('username', '=', 'bob').executeTakeFirst();
    expect(still?.role).toBe('curator');
    expect((await auditRows()).length).toBe(2);
  });

  it('writes an authorship decision to the audit log, and refuses an unknown decision', async () => {
    const [paperId] = await makePapers(db, ['2601.00002']);
    const carol = await makeUser(app, 'carol');
    const claim = await claimAuthorship(app, carol, paperId, 1);
    const root = await login('root');
    const odd = await root.post(`/admin/claims/${claim}`, '/moderation', { decision: 'maybe' });
    expect(odd.statusCode).toBe(400);
    expect((await auditRows()).length).toBe(0);
    const ok = await root.post(`/admin/claims/${claim}`, '/moderation', { decision: 'approve' });
    expect(ok.statusCode).toBe(303);
    const log = await auditRows();
    expect(log.map((a) => [a.action, a.target, a.actor_name])).toEqual([['claim.approve', `claim:${claim}`, 'root']]);
    expect(log[0].request_id).toBeTruthy();
  });
});
