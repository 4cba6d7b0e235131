import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { CLI_ACTOR, createUser } from '../../src/services/accounts.js';
import { findPaperByArxivId } from '../../src/store/paper-store.js';
import { launchBrowser } from '../helpers/browser.js';
import { makePapers } from '../helpers/community.js';
import { communityServer } from '../helpers/community-server.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { linkIn, startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

// The browser checks what a person does; every data path also runs on both databases in test/services.
const dialect = 'sqlite' as const;
const PW = 'correct horse battery staple';

describe('taking part, in Chromium, with mail from a real SMTP server', () => {
  let db: TestDb;
  let smtp: TestSmtp;
  let server: FastifyInstance;
  let ctx: App;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const open = async (): Promise<Page> => {
    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('dialog', (d) => {
      errors.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    return page;
  };
  /** Mail links carry BASE_URL; follow their path on the test server. */
  const follow = (link: string) => `${base}${new URL(link).pathname}${new URL(link).search}`;
  const login = async (page: Page, who: string, password = PW) => {
    await page.goto(`${base}/login`);
    await page.locator('main').getByLabel('Username or email', { exact: true }).fill(who);
    await page.locator('main').getByLabel('Password', { exact: true }).fill(password);
    await page.locator('main').getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${base}/`);
  };

  beforeAll(async () => {
    db = await createTestDb(dialect);
    smtp = await startTestSmtp();
    ({ server, ctx } = await communityServer(db, { SMTP_URL: smtp.smtpUrl, NEW_ACCOUNT_HOURS: '0' }));
    await server.listen({ port: 0, host: '127.0.0.1' });
    const addr = server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    await makePapers(db, ['2601.00500', '2601.00501']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('sign-up → mail → log in → upvote → submit → comment → reply → a moderator hides → the log shows it', async () => {
    const page = await open();
    await page.goto(`${base}/signup`);
    await page.locator('main').getByLabel('Username', { exact: true }).fill('newbie');
    await page.locator('main').getByLabel('Email', { exact: true }).fill('newbie@example.org');
    await page.locator('main').getByLabel('Password', { exact: true }).fill(PW);
    await page.locator('main').getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your mail');

    const mail = await smtp.waitFor('newbie@example.org', (m) => m.subject.includes('Confirm'));
    await page.goto(follow(linkIn(mail, 'http')));
    await page.locator('main').getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Address confirmed');

    await login(page, 'newbie');
    expect(await page.locator('.user-menu').textContent()).toContain('newbie');

    // Upvote in place (JavaScript): the count changes without a page load.
    await page.goto(`${base}/papers/2601.00500`);
    const vote = page.locator('.paper-actions .vote-box');
    await vote.getByRole('button').click();
    await expect.poll(() => vote.locator('[data-upvotes]').textContent()).toBe('1');
    expect((await findPaperByArxivId(db, '2601.00500'))!.upvotes).toBe(1);
    await page.reload();
    expect(await vote.getByRole('button').getAttribute('aria-pressed')).toBe('true');

    await page.goto(`${base}/submit`);
    await page
      .locator('main')
      .getByLabel('arXiv id or link', { exact: true })
      .fill('https://arxiv.org/abs/2601.00501v1');
    await page.locator('main').getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`${base}/papers/2601.00501`);
    expect(await page.locator('.facts').textContent()).toContain('newbie');

    await page.goto(`${base}/papers/2601.00500`);
    await page.locator('#new-comment textarea').fill('Great **paper**');
    await page.locator('main').getByRole('button', { name: 'Comment', exact: true }).click();
    const first = page.locator('article.comment').first();
    await expect.poll(() => first.locator('.body').textContent()).toBe('Great paper');
    await first.locator('summary', { hasText: 'Reply' }).click();
    await first.locator('textarea[name=comment]').first().fill('Replying to myself');
    await first.getByRole('button', { name: 'Reply' }).click();
    const reply = page.locator('article.comment article.comment');
    await expect.poll(() => reply.locator('.body').textContent()).toBe('Replying to myself');
    const replyId = (await reply.getAttribute('id'))!.replace('comment-', '');

    // A curator hides the reply; the public log says who, what and why.
    await createUser(ctx, CLI_ACTOR, { username: 'mod', email: 'mod@example.org', role: 'curator', password: PW });
    const mod = await open();
    await login(mod, 'mod');
    await mod.goto(`${base}/papers/2601.00500`);
    const target = mod.locator(`#comment-${replyId}`);
    await target.getByLabel('Hide reason').selectOption('off-topic');
    await target.getByRole('button', { name: 'Hide' }).click();
    await mod.goto(`${base}/moderation/log`);
    const row = mod.locator('tbody tr').first();
    expect(await row.textContent()).toMatch(/mod.*hide-comment.*comment \d+.*off-topic/s);

    // Everyone else no longer sees it.
    const anon = await open();
    await anon.goto(`${base}/papers/2601.00500`);
    expect(await anon.locator('.comments').textContent()).not.toContain('Replying to myself');
    expect(await anon.locator('.comments').textContent()).toContain('Great paper');
    expect(errors).toEqual([]);
  });

  it('resets a forgotten password by mail', async () => {
    const page = await open();
    await page.goto(`${base}/reset-password`);
    await page.locator('main').getByLabel('Email', { exact: true }).fill('newbie@example.org');
    await page.locator('main').getByRole('button', { name: 'Send me a link' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your mail');
    const mail = await smtp.waitFor('newbie@example.org', (m) => m.subject.includes('Reset'));
    await page.goto(follow(linkIn(mail, 'http')));
    await page.locator('main').getByLabel('New password', { exact: true }).fill('a fresh new password');
    await page.locator('main').getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Password changed');
    await login(page, 'newbie@example.org', 'a fresh new password');
    expect(await page.locator('.user-menu').textContent()).toContain('newbie');
    expect(errors).toEqual([]);
  });
});
