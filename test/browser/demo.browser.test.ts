import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/http/server.js';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { loadDemoIfEmpty } from '../../src/services/demo.js';
import { type TestApp, testApp } from '../helpers/app.js';
import { artifact, launchBrowser } from '../helpers/browser.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

/**
 * The first start, as a new reader sees it: the demo (real arXiv papers and the generated demo
 * community, loaded as `npm start` loads it) with mail off, walked in Chromium at a desktop and a
 * phone width, in light and dark. Every journey of issue #13: the home page, a day, a paper page,
 * search, trending, an organisation; sign-up → confirmation through the admin's outbox → log in →
 * upvote → comment → save → submit → settings; subscribe → confirm through the outbox.
 *
 * `npm run screenshots` runs this file with PAPERBOY_SCREENSHOTS set: the README's pictures
 * (docs/screenshots/, the first screen of each) are written from it, so they show what is tested.
 */
const SHOTS_DIR = process.env.PAPERBOY_SCREENSHOTS;
/** The pictures the README shows (combination/step); the rest go to test-artifacts/ only. */
const DOCS_SHOTS = new Set([
  'desktop-light/home',
  'desktop-light/paper',
  'desktop-light/search',
  'desktop-light/org',
  'desktop-light/commented',
  'desktop-dark/home',
  'desktop-dark/paper',
  'phone-light/search',
  'phone-dark/home',
  'phone-dark/paper',
]);

/** The demo's newest listing day is July 1, 2026: the site's clock stands the morning after. */
const DEMO_NOW = new Date('2026-07-02T09:00:00.000Z');
const PW = 'correct horse battery staple';
/** A walk's limit: the first renders a paper page, search and the lists cold, on two shared cores. */
const WALK_TIMEOUT_MS = 180_000;
const COMBOS = [
  { name: 'desktop-light', viewport: { width: 1280, height: 800 }, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: { width: 1280, height: 800 }, colorScheme: 'dark' },
  { name: 'phone-light', viewport: { width: 390, height: 844 }, colorScheme: 'light' },
  { name: 'phone-dark', viewport: { width: 390, height: 844 }, colorScheme: 'dark' },
] as const;

const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
/** Pictures that failed to load (a broken image shows as a blank box). */
const brokenImages = (page: Page) =>
  page.evaluate(() =>
    [...document.images].filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.getAttribute('src')),
  );

// The browser checks what a person sees; the pages' data paths run on both databases in test/http.
const dialect = 'sqlite' as const;

describe('the demo, in Chromium, at 1280 and 390 px, light and dark', () => {
  let db: TestDb;
  let app: TestApp;
  let server: FastifyInstance;
  let browser: Browser;
  let base: string;
  let admin: Page;
  /** Papers on the newest listing day that are not on a Daily Papers list: one to submit per walk. */
  let submittable: string[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    db = await createTestDb(dialect);
    app = testApp(db, { NEW_ACCOUNT_HOURS: '0' }, { now: DEMO_NOW });
    expect(app.mailer).toBeNull(); // mail off: what a person is promised by mail waits in the outbox
    const loaded = await loadDemoIfEmpty(app);
    expect(loaded?.papers.inserted).toBeGreaterThan(4000);
    await createUser(app, CLI_ACTOR, { username: 'root', email: 'root@example.org', role: 'admin', password: PW });
    server = await buildServer(app, { cache: { refreshMinMs: 0, refreshRenderMultiple: 0 } });
    await server.listen({ port: 0, host: '127.0.0.1' });
    const addr = server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    const rows = await db.kysely
      .selectFrom('listing_entries as l')
      .innerJoin('papers as p', 'p.id', 'l.paper_id')
      .leftJoin('daily_entries as d', 'd.paper_id', 'l.paper_id')
      .select('p.arxiv_id')
      .where('l.day', '=', '2026-07-01')
      .where('d.paper_id', 'is', null)
      .orderBy('p.arxiv_id')
      .limit(COMBOS.length)
      .execute();
    submittable = rows.map((r) => r.arxiv_id);
    browser = await launchBrowser();
    admin = await (await browser.newContext()).newPage();
    await logIn(admin, 'root');
    if (SHOTS_DIR) fs.mkdirSync(SHOTS_DIR, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  async function logIn(page: Page, who: string) {
    await page.goto(`${base}/login`);
    await page.locator('main').getByLabel('Username or email', { exact: true }).fill(who);
    await page.locator('main').getByLabel('Password', { exact: true }).fill(PW);
    await page.locator('main').getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
  }

  /** The admin reads the newest kept mail to `to` at /admin/outbox; its link, on the test server. */
  async function linkFromOutbox(to: string, subject: RegExp): Promise<string> {
    await admin.goto(`${base}/admin/outbox`);
    const mail = admin.locator('.outbox-mail', { hasText: to }).filter({ hasText: subject }).first();
    const body = await mail.locator('.outbox-body').textContent();
    const link = /https?:\/\/\S+/.exec(body ?? '')?.[0];
    if (!link) throw new Error(`no link in the kept mail to ${to}: ${body}`);
    const u = new URL(link);
    return `${base}${u.pathname}${u.search}`;
  }

  /** A page for one combination, its errors, and `look`: the checks every page passes, then its screenshot. */
  async function openAs(combo: (typeof COMBOS)[number]) {
    const ctx = await browser.newContext({ viewport: combo.viewport, colorScheme: combo.colorScheme });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    /** Checks every page: no sideways scrolling, no broken picture; then its screenshot. */
    const look = async (step: string) => {
      await page.waitForLoadState('load');
      expect(await noHorizontalScroll(page), `${step}: scrolls sideways`).toBe(true);
      expect(await brokenImages(page), `${step}: broken pictures`).toEqual([]);
      const key = `${combo.name}/${step}`;
      await page.screenshot({ path: artifact(`demo-${combo.name}-${step}.png`), fullPage: true });
      if (SHOTS_DIR && DOCS_SHOTS.has(key))
        await page.screenshot({ path: path.join(SHOTS_DIR, `${combo.name}-${step}.png`) });
    };

    return { page, errors, look };
  }

  // Browsing first: the walks below submit papers, which go on the clock's day and change the home page.
  for (const combo of COMBOS) {
    it(
      `${combo.name}: the home page, a day, trending, a paper, an organisation, search`,
      async () => {
        const { page, errors, look } = await openAs(combo);
        // Home: the newest day's featured papers, each with a picture, an upvote count and the demo banner.
        await page.goto(`${base}/`);
        expect(await page.locator('h1').first().textContent()).toBe('Daily Papers');
        expect(await page.locator('.demo-banner, [data-demo]').first().textContent()).toMatch(/demo/i);
        const cards = page.locator('.card');
        expect(await cards.count()).toBeGreaterThan(5);
        expect(await cards.first().locator('img').count()).toBeGreaterThan(0);
        expect(Number(await cards.first().locator('.votes .n').textContent())).toBeGreaterThan(0);
        await look('home');

        // A day, from the previous-day link.
        await page.goto(`${base}/papers/date/2026-07-01`);
        await page.getByRole('link', { name: '← Previous day' }).click();
        await page.waitForURL(`${base}/papers/date/2026-06-30`);
        expect(await page.locator('.card').count()).toBeGreaterThan(5);
        await look('day');

        // Trending.
        await page.goto(`${base}/papers/trending`);
        expect(await page.locator('.card').count()).toBeGreaterThan(5);
        await look('trending');

        // A paper page, from the first card of the home page.
        await page.goto(`${base}/`);
        const first = page.locator('.card-title a').first();
        const title = (await first.textContent())!.trim();
        await page.goto(`${base}${await first.getAttribute('href')}`);
        expect(page.url()).toMatch(/\/papers\/\d{4}\.\d{4,5}$/);
        expect((await page.locator('h1').textContent())!.trim()).toBe(title);
        expect(await page.locator('main img').count()).toBeGreaterThan(0);
        // Logged out, the upvote is a real button that leads to log-in.
        expect(await page.locator('main .vote-button').first().isVisible()).toBe(true);
        await look('paper');

        // An organisation, from the paper page.
        const org = page.locator('main a[href^="/orgs/"]').first();
        if ((await org.count()) === 0) await page.goto(`${base}/orgs`);
        await page.locator('main a[href^="/orgs/"]').first().click();
        await page.waitForURL(/\/orgs\/[^/]+$/);
        expect(await page.locator('.card').count()).toBeGreaterThan(0);
        await look('org');

        // Search: one box, results in the first screen (filters folded).
        await page.getByRole('searchbox', { name: 'Search papers' }).first().fill('language model');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/papers\?q=language/);
        expect(await page.getByRole('searchbox').count()).toBe(1);
        const hit = page.locator('.card').first();
        expect(await hit.isVisible()).toBe(true);
        const box = await hit.boundingBox();
        expect(box!.y, 'the first result starts in the first screen').toBeLessThan(combo.viewport.height);
        await look('search');

        expect(errors).toEqual([]);
      },
      WALK_TIMEOUT_MS,
    );
  }

  for (const combo of COMBOS) {
    it(
      `${combo.name}: sign-up → outbox → log in → upvote, comment, save, submit, settings; subscribe → confirm`,
      async () => {
        const { page, errors, look } = await openAs(combo);
        // Sign up with mail off: the page says where the mail went; the admin passes the link on.
        const who = `reader${COMBOS.indexOf(combo)}`;
        const email = `${who}@example.org`;
        await page.goto(`${base}/signup`);
        await page.locator('main').getByLabel('Username', { exact: true }).fill(who);
        await page.locator('main').getByLabel('Email', { exact: true }).fill(email);
        await page.locator('main').getByLabel('Password', { exact: true }).fill(PW);
        await page.locator('main').getByRole('button', { name: 'Create account' }).click();
        await page.waitForLoadState('load');
        expect(await page.locator('main').textContent()).toContain('Mail is off on this site');
        await look('signed-up');
        await page.goto(await linkFromOutbox(email, /confirm/i));
        await page.locator('main').getByRole('button', { name: 'Confirm' }).click();
        await expect.poll(() => page.locator('h1').textContent()).toBe('Address confirmed');

        // Log in, then upvote, comment on and save a paper.
        await logIn(page, who);
        await page.goto(`${base}/papers/date/2026-07-01`);
        const paperUrl = await page.locator('.card-title a').nth(COMBOS.indexOf(combo)).getAttribute('href');
        await page.goto(`${base}${paperUrl}`);
        const vote = page.locator('.paper-actions .vote-box');
        const before = Number(await vote.locator('[data-upvotes]').textContent());
        await vote.getByRole('button').click();
        await expect.poll(() => vote.locator('[data-upvotes]').textContent()).toBe(String(before + 1));
        await page.locator('#new-comment textarea').fill(`A first comment from **${who}**`);
        await page.locator('main').getByRole('button', { name: 'Comment', exact: true }).click();
        await expect
          .poll(() => page.locator('article.comment .body', { hasText: `A first comment from ${who}` }).count())
          .toBe(1);
        await page.locator('main').getByRole('button', { name: 'Save', exact: true }).click();
        await expect.poll(() => page.locator('main').getByRole('button', { name: 'Saved' }).count()).toBe(1);
        await page.locator(`article.comment`, { hasText: who }).first().scrollIntoViewIfNeeded();
        await look('commented');
        await page.goto(`${base}/saved`);
        expect(await page.locator('.card').count()).toBe(1);
        await look('saved');

        // Submit a paper of the newest day that is not on a list yet: it goes on today's list.
        const id = submittable[COMBOS.indexOf(combo)];
        await page.goto(`${base}/submit`);
        await page.locator('main').getByLabel('arXiv id or link', { exact: true }).fill(id);
        await page.locator('main').getByRole('button', { name: 'Submit' }).click();
        await page.waitForURL(`${base}/papers/${id}`);
        expect(await page.locator('.facts').textContent()).toContain(who);

        // Settings, then the account menu's log-out.
        await page.goto(`${base}/settings`);
        expect(await page.locator('h1').textContent()).toMatch(/settings/i);
        await look('settings');

        // Subscribe (logged out, from the home page's box) → confirm through the outbox.
        const anon = await (
          await browser.newContext({ viewport: combo.viewport, colorScheme: combo.colorScheme })
        ).newPage();
        const subEmail = `digest-${combo.name}@example.org`;
        await anon.goto(`${base}/`);
        await anon.locator('#subscribe-email').fill(subEmail);
        await anon.getByRole('button', { name: 'Subscribe' }).click();
        await anon.waitForLoadState('load');
        expect(await anon.locator('main').textContent()).toContain('Mail is off on this site');
        await anon.goto(await linkFromOutbox(subEmail, /confirm|subscri/i));
        const confirm = anon.locator('main').getByRole('button', { name: /confirm/i });
        if ((await confirm.count()) > 0) await confirm.first().click();
        await expect.poll(() => anon.locator('main').textContent()).toContain('You are subscribed');
        await anon.context().close();

        expect(errors).toEqual([]);
      },
      WALK_TIMEOUT_MS,
    );
  }
  it('the admin pages a demo site needs: the outbox and the moderation queue, on a desktop and a phone', async () => {
    for (const combo of [COMBOS[0], COMBOS[3]]) {
      const ctx = await browser.newContext({ viewport: combo.viewport, colorScheme: combo.colorScheme });
      contexts.push(ctx);
      const page = await ctx.newPage();
      await logIn(page, 'root');
      for (const [url, heading] of [
        ['/admin/outbox', /mail|outbox/i],
        ['/moderation', /moderation/i],
      ] as const) {
        await page.goto(`${base}${url}`);
        expect(await page.locator('h1').first().textContent()).toMatch(heading);
        expect(await noHorizontalScroll(page), `${combo.name} ${url}`).toBe(true);
        await page.screenshot({
          path: artifact(`demo-${combo.name}-${url.slice(1).replace('/', '-')}.png`),
          fullPage: true,
        });
      }
    }
  });
});
