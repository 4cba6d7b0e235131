import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createUser, toActor } from '../../src/services/accounts.js';
import { postComment } from '../../src/services/comments.js';
import { createOrganization, linkPaper } from '../../src/services/organizations.js';
import { submitPaper } from '../../src/services/submissions.js';
import { findUserByUsername, updateUser } from '../../src/store/user-store.js';
import { XSS_PAYLOADS } from '../fixtures/xss-payloads.js';
import { launchBrowser } from '../helpers/browser.js';
import { makePapers } from '../helpers/community.js';
import { communityServer } from '../helpers/community-server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const dialect = 'sqlite' as const;

/** What would show that markup from a payload became live: handlers, scripts, frames, script URLs. */
async function liveMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) bad.push('window.__xss was set');
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const a of Array.from(el.attributes)) {
        const v = a.value
          .trim()
          .toLowerCase()
          .replace(/[\s\u0000-\u001f]+/g, '');
        if (a.name.toLowerCase().startsWith('on')) bad.push(`<${el.tagName} ${a.name}>`);
        if (
          ['href', 'src', 'action', 'formaction', 'data', 'background', 'srcdoc'].includes(a.name.toLowerCase()) &&
          (v.startsWith('javascript:') || v.startsWith('data:text') || a.name === 'srcdoc')
        )
          bad.push(`<${el.tagName} ${a.name}=${a.value}>`);
        if (a.name.toLowerCase() === 'style' && /expression|javascript:/i.test(a.value))
          bad.push(`<${el.tagName} style>`);
      }
    }
    for (const s of Array.from(document.querySelectorAll('script')))
      if (!(s.getAttribute('src') ?? '').startsWith('/static/')) bad.push('inline or foreign <script>');
    for (const t of [
      'iframe',
      'object',
      'embed',
      'base',
      'meta[http-equiv]',
      'svg script',
      'link[href^="javascript"]',
      'style:not([data-site])',
    ]) {
      const n = document.querySelectorAll(`main ${t}`).length;
      if (n > 0) bad.push(`${n} × ${t} in main`);
    }
    return bad;
  });
}

describe('stored XSS payloads in comments, names and titles stay inert in Chromium', () => {
  let db: TestDb;
  let server: FastifyInstance;
  let ctx: App;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const ids = XSS_PAYLOADS.map((_, i) => `2601.${String(10000 + i)}`);

  beforeAll(async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    db = await createTestDb(dialect);
    ({ server, ctx } = await communityServer(db, {
      NEW_ACCOUNT_HOURS: '0',
      RATE_LIMIT_COMMENT: '0/0/1m',
      RATE_LIMIT_SUBMIT: '0/0/1m',
    }));
    // Titles, abstracts and author names carry the payloads.
    await makePapers(db, ids);
    for (let i = 0; i < ids.length; i++) {
      const p = XSS_PAYLOADS[i];
      await db.kysely
        .updateTable('papers')
        .set({ title: `T${i} ${p}`, abstract: p, authors: JSON.stringify([p, 'Ada Lovelace']) })
        .where('arxiv_id', '=', ids[i])
        .execute();
    }
    // A curator whose display name is a payload submits each paper; organisations' names are payloads.
    const writer = await createUser(ctx, CLI_ACTOR, {
      username: 'writer',
      email: 'w@example.org',
      role: 'curator',
      password: 'correct horse battery staple',
    });
    for (let i = 0; i < ids.length; i++) {
      const name = `sub${i}`;
      await createUser(ctx, CLI_ACTOR, {
        username: name,
        email: `${name}@example.org`,
        role: 'curator',
        password: 'correct horse battery staple',
      });
      const u = (await findUserByUsername(db, name))!;
      await updateUser(db, u.id, { fullname: XSS_PAYLOADS[i] });
      await submitPaper(ctx, toActor({ ...u, fullname: XSS_PAYLOADS[i] }, 'session'), ids[i]);
      await createOrganization(ctx, writer.user, { name: `org${i}`, fullname: XSS_PAYLOADS[i] });
      await linkPaper(
        ctx,
        writer.user,
        `org${i}`,
        (await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', ids[i]).executeTakeFirstOrThrow()).id,
      );
    }
    // Every payload as a comment, and as a reply, on the first paper.
    const paperId = (
      await db.kysely.selectFrom('papers').select('id').where('arxiv_id', '=', ids[0]).executeTakeFirstOrThrow()
    ).id;
    for (const p of XSS_PAYLOADS) {
      const c = await postComment(ctx, writer.user, { paperId, body: p });
      await postComment(ctx, writer.user, { paperId, parentId: c.id, body: `> ${p}\n\n${p}` });
    }
    await server.listen({ port: 0, host: '127.0.0.1' });
    const addr = server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await launchBrowser();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it(`renders ${XSS_PAYLOADS.length} payloads on every page without running any`, async () => {
    const page = await context.newPage();
    const fired: string[] = [];
    page.on('dialog', (d) => {
      fired.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('pageerror', (e) => fired.push(`pageerror: ${e.message}`));
    // The daily list and trending show every title, abstract and organisation name as cards; paper
    // pages add author and submitter names (a sample of them keeps the file fast).
    const urls = [
      '/',
      '/papers/trending',
      ...ids.filter((_, i) => i % 3 === 0).map((id) => `/papers/${id}`),
      ...ids.slice(0, 10).map((_, i) => `/users/sub${i}`),
      '/users/writer',
      '/orgs/org0/members',
      '/moderation/log',
    ];
    const problems: string[] = [];
    for (const url of urls) {
      const res = await page.goto(`${base}${url}`);
      expect(res?.status(), url).toBe(200);
      for (const p of await liveMarkup(page)) problems.push(`${url}: ${p}`);
    }
    // The payloads are there, as text: cards, a title, a comment.
    await page.goto(`${base}/`);
    expect(await page.locator('.card').count()).toBeGreaterThanOrEqual(30);
    expect(await page.locator('main').textContent()).toContain('<img src=x onerror=alert(1)>');
    await page.goto(`${base}/papers/${ids[0]}`);
    expect(await page.locator('h1').first().textContent()).toBe(`T0 ${XSS_PAYLOADS[0]}`);
    expect(await page.locator('#discussion').textContent()).toContain('alert(1)');
    expect(await page.locator('#discussion article.comment').count()).toBe(2 * XSS_PAYLOADS.length);
    expect(problems).toEqual([]);
    expect(fired).toEqual([]);
  });
});
