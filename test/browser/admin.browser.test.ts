import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { recordedImport } from '../../src/services/import-runs.js';
import { getJob } from '../../src/store/job-store.js';
import { artifact, launchBrowser } from '../helpers/browser.js';
import { makeUser } from '../helpers/community.js';
import { communityServer } from '../helpers/community-server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * The admin console as an admin uses it, in Chromium: every page at desktop and phone width, light
 * and dark, without sideways scrolling or script errors; retry, cancel, resend, rebuild and a role
 * change through the pages' own forms (their CSRF tokens), each landing in the audit log. The data
 * paths run on both databases in test/ops/admin-http.test.ts.
 */
const dialect = 'sqlite' as const;
const PW = 'correct horse battery staple';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const PAGES = [
  '/admin',
  '/admin/jobs',
  '/admin/mail',
  '/admin/outbox',
  '/admin/imports',
  '/admin/search',
  '/admin/users',
  '/admin/audit',
];

describe('the admin console in Chromium', () => {
  let db: TestDb;
  let server: FastifyInstance;
  let app: App;
  let browser: Browser;
  let base: string;
  let deadJob: number;
  let queuedJob: number;
  let failedMail: number;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const open = async (viewport = DESKTOP, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> => {
    const ctx = await browser.newContext({ viewport, colorScheme });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/login`);
    await page.locator('main').getByLabel('Username or email', { exact: true }).fill('root');
    await page.locator('main').getByLabel('Password', { exact: true }).fill(PW);
    await page.locator('main').getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
    return page;
  };
  const fits = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  beforeAll(async () => {
    db = await createTestDb(dialect);
    ({ server, app } = await communityServer(db, { NEW_ACCOUNT_HOURS: '0' }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    const addr = server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    await makeUser(app, 'root', 'admin', { password: PW });
    await makeUser(app, 'bob', 'user', { password: PW });
    const dead = await enqueueJob(db, 'prune-jobs', { keepDays: 3 }, { maxAttempts: 1 });
    await db.kysely
      .updateTable('jobs')
      .set({
        state: 'dead',
        attempts: 1,
        last_error:
          'Error: SQLITE_FULL: database or disk is full\n    at Statement.run (node_modules/better-sqlite3/lib/methods/wrappers.js:9:14)\n    at pruneJobs (dist/src/jobs/handlers/prune-jobs.js:21:7)',
      })
      .where('id', '=', dead.id)
      .execute();
    deadJob = dead.id;
    queuedJob = (await enqueueJob(db, 'prune-jobs', { keepDays: 9 })).id;
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
        suppressed_reason:
          '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    failedMail = (
      await db.kysely
        .insertInto('digest_outbox')
        .values({
          subscriber_id: sub.id,
          period_key: 'daily:2026-11-28',
          email: 'gone@example.org',
          paper_ids: '[]',
          message_id: '<x@example.org>',
          status: 'failed',
          next_attempt_at: now,
          last_error: '421 4.7.0 Try again later, closing connection',
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await recordedImport(app, 'kaggle', 'cli', async () => ({
      read: 3,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      rejects: [{ file: '/var/lib/paperboy/imports/arxiv-metadata-oai-snapshot.json', line: 7, reason: 'no arXiv id' }],
      files: 1,
    }));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`shows every console page at ${name} width, ${scheme}`, async () => {
        const page = await open(viewport, scheme);
        for (const path of PAGES) {
          const res = await page.goto(`${base}${path}`);
          expect(res?.status(), path).toBe(200);
          // The console's navigation, with the current section marked.
          expect(await page.locator('.admin nav a[aria-current="page"]').count(), path).toBe(1);
          expect(await fits(page), `${path} fits ${viewport.width} px`).toBe(true);
          const file = `${path.slice(1).replace(/\//g, '-')}-${name}-${scheme}.png`;
          await page.screenshot({ path: artifact(file), fullPage: true });
        }
        expect(errors).toEqual([]);
      });
    }
  }

  it('retries, cancels, resends, rebuilds and changes a role through its forms, all audited', async () => {
    const page = await open();
    await page.goto(`${base}/admin/jobs?state=dead`);
    await expect.poll(() => page.locator('main').textContent()).toContain('SQLITE_FULL');
    await page.locator(`form[action="/admin/jobs/${deadJob}/retry"] button`).click();
    await page.waitForURL(`${base}/admin/jobs?state=dead`);
    expect((await getJob(db, deadJob))?.state).toBe('queued');

    await page.goto(`${base}/admin/jobs?state=queued`);
    await page.locator(`form[action="/admin/jobs/${queuedJob}/cancel"] button`).click();
    await page.waitForURL(`${base}/admin/jobs?state=queued`);
    expect((await getJob(db, queuedJob))?.state).toBe('dead');

    await page.goto(`${base}/admin/mail`);
    await page.locator(`form[action="/admin/mail/${failedMail}/resend"] button`).click();
    await page.waitForURL(`${base}/admin/mail`);
    const mail = await db.kysely
      .selectFrom('digest_outbox')
      .select('status')
      .where('id', '=', failedMail)
      .executeTakeFirst();
    expect(mail?.status).toBe('pending');

    await page.goto(`${base}/admin/search`);
    await page.locator('form[action="/admin/search/rebuild"] button').click();
    await page.waitForURL(`${base}/admin/search`);

    await page.goto(`${base}/admin/users?q=bob`);
    const form = page.locator('form[action="/admin/users/bob/role"]');
    await form.locator('select').selectOption('curator');
    await form.locator('button').click();
    await page.waitForURL(`${base}/admin/users?q=bob`);
    const bob = await db.kysely.selectFrom('users').select('role').where('username', '=', 'bob').executeTakeFirst();
    expect(bob?.role).toBe('curator');

    await page.goto(`${base}/admin/audit`);
    const audit = (await page.locator('main').textContent()) ?? '';
    for (const action of ['job.retry', 'job.cancel', 'mail.resend', 'search.rebuild', 'user.role'])
      expect(audit).toContain(action);
    await page.screenshot({ path: artifact('admin-audit-after-actions.png'), fullPage: true });

    expect(errors).toEqual([]);

    // A form whose token is forged is refused, and changes nothing.
    await page.goto(`${base}/admin/jobs`);
    await page.evaluate(() => {
      for (const i of document.querySelectorAll<HTMLInputElement>('input[name="_csrf"]')) i.value = 'forged';
    });
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/admin/jobs/${queuedJob}/retry`)),
      page.locator(`form[action="/admin/jobs/${queuedJob}/retry"] button`).click(),
    ]);
    expect(refused.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('CSRF check failed');
    expect((await getJob(db, queuedJob))?.state).toBe('dead');
  });
});
