import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchBrowser } from '../helpers/browser.js';
import { createTestSite, type TestSite } from '../helpers/site.js';
import { HOSTILE, seedFixture } from '../helpers/site-fixture.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** What a person sees: card titles in order. */
const titles = (page: Page) => page.locator('.card-title a').allTextContents();
const noHorizontalScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

// The browser checks what a person sees; the pages' data paths run on both databases in test/http.
const dialect = 'sqlite' as const;

describe('the site in Chromium', () => {
  let site: TestSite;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  const open = async (viewport = DESKTOP, colorScheme: 'light' | 'dark' = 'light') => {
    const ctx = await browser.newContext({ viewport, colorScheme });
    contexts.push(ctx);
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    return { page, errors };
  };

  beforeAll(async () => {
    site = await createTestSite(dialect);
    await seedFixture(site.db);
    await site.server.listen({ port: 0, host: '127.0.0.1' });
    const addr = site.server.server.address();
    base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await site?.close();
  });

  it('walks from / to the previous day, a paper, a search, an organisation and a feed', async () => {
    const { page, errors } = await open();
    await page.goto(`${base}/`);
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Daily Papers');
    expect(await titles(page)).toEqual(['Epsilon from Apple']);
    expect(await page.locator('.card .org').first().textContent()).toContain('Apple');
    expect(await page.getByText('Get trending papers in your email inbox!').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Subscribe' }).isVisible()).toBe(true);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-home.png'), fullPage: true });

    await page.getByRole('link', { name: '← Previous day' }).click();
    await page.waitForURL(`${base}/papers/date/2025-06-10`);
    expect(await titles(page)).toEqual(['Beta speculative decoding', 'Alpha sparse attention', 'Delta with code']);
    expect(await page.locator('.card .votes .n').allTextContents()).toEqual(['20', '5', '5']);
    expect(await page.locator('.card .authors').first().textContent()).toBe('2 authors');
    expect(await page.getByRole('link', { name: /New on arXiv \(4\)/ }).isVisible()).toBe(true);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-day.png'), fullPage: true });

    await page.getByRole('link', { name: 'Delta with code' }).click();
    await page.waitForURL(`${base}/papers/2506.00004`);
    expect(await page.locator('h1').textContent()).toBe('Delta with code');
    expect(await page.locator('.paper-authors').textContent()).toBe('Ada Lovelace, Alan Turing');
    const actions = page.locator('.paper-actions');
    expect(await actions.getByRole('link', { name: 'PDF' }).getAttribute('href')).toBe(
      'https://arxiv.org/pdf/2506.00004',
    );
    expect(await actions.getByRole('link', { name: /Code/ }).getAttribute('href')).toBe(
      'https://github.com/meta/delta',
    );
    // Typeset by KaTeX on the server, in KaTeX's own font (served by the site: CSP allows no other).
    expect(await page.locator('.abstract .katex-html').first().textContent()).toBe('α');
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point; textContent includes KaTeX's hidden TeX annotation
    expect(await page.locator('.abstract').innerText()).not.toContain('$');
    await expect
      .poll(() => page.evaluate(() => document.fonts.check('16px KaTeX_Math') && document.fonts.status))
      .toBe('loaded');
    expect(await page.locator('.abstract em').textContent()).toBe('fast');
    // site.js ran under the CSP: it reveals the copy button only when it runs.
    await expect.poll(() => page.getByRole('button', { name: 'Copy BibTeX' }).isVisible()).toBe(true);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-paper.png'), fullPage: true });

    await page.getByRole('searchbox', { name: 'Search papers' }).fill('sparse');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/papers?q=sparse`);
    // Words and meaning (the default) ranks the papers that say "sparse" first.
    expect((await titles(page)).slice(0, 2).sort()).toEqual(['Alpha sparse attention', 'Delta with code']);
    expect(await page.locator('.card-title mark').first().textContent()).toMatch(/sparse/i);
    // One search box on the search page; the filters are folded until opened.
    expect(await page.getByRole('searchbox').count()).toBe(1);
    expect(await page.getByLabel('Match').isVisible()).toBe(false);
    await page.locator('.search-filters summary').click();
    await page.getByLabel('Match').selectOption('keyword');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/mode=keyword/);
    expect(await page.locator('.result-count').textContent()).toMatch(/^(About )?2 papers for “sparse”$/);
    await page.getByLabel('Has code').check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/code=1/);
    expect(await titles(page)).toEqual(['Delta with code']);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-search.png'), fullPage: true });
    await page.getByLabel('Published from').fill('2025-06-11');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/from=2025-06-11/);
    expect(await page.locator('.empty').textContent()).toContain('No papers match');
    await page.goBack();

    await page.locator('.card .org', { hasText: 'meta' }).click();
    await page.waitForURL(`${base}/orgs/meta`);
    expect(await page.locator('h1').textContent()).toContain('meta');
    expect(await titles(page)).toEqual(['Delta with code']);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-org.png'), fullPage: true });

    const feedHref = await page.locator('link[rel="alternate"][type="application/rss+xml"]').getAttribute('href');
    expect(feedHref).toBe('/feeds/orgs/meta.xml');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/feeds/orgs/meta.xml')),
      page.getByRole('link', { name: 'RSS' }).click(),
    ]);
    expect(response.headers()['content-type']).toContain('application/rss+xml');
    expect(await response.text()).toContain('<title>Delta with code</title>');
    expect(errors).toEqual([]);
  });

  it('is usable by keyboard and readable on a phone, in dark mode, without horizontal scrolling', async () => {
    const { page } = await open(PHONE, 'dark');
    for (const [url, name] of [
      ['/', 'phone-home.png'],
      ['/papers/2506.00004', 'phone-paper.png'],
      ['/papers?q=sparse', 'phone-search.png'],
      ['/papers/date/2025-06-10', 'phone-day.png'],
      ['/papers/nope', 'phone-error.png'],
    ]) {
      await page.goto(base + url);
      expect(await noHorizontalScroll(page), url).toBe(true);
      if (dialect === 'sqlite') await page.screenshot({ path: artifact(name), fullPage: true });
    }
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(16, 18, 22)'); // the dark palette followed the system setting
    await page.goto(`${base}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(page.url()).toBe(`${base}/#main`);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('site-q');
    for (const url of ['/', '/papers/2506.00004']) {
      const { page: desk } = await open(DESKTOP);
      await desk.goto(base + url);
      expect(await noHorizontalScroll(desk), url).toBe(true);
    }
  });

  it('runs no script from hostile titles, abstracts, authors or organisation names', async () => {
    const { page, errors } = await open();
    let dialogs = 0;
    page.on('dialog', async (d) => {
      dialogs++;
      await d.dismiss();
    });
    for (const url of [
      '/papers/2506.00005',
      '/papers/new/2025-06-10',
      '/papers?q=hostile',
      '/feeds/search.xml?q=hostile',
    ]) {
      await page.goto(base + url);
      await page.waitForLoadState('load');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), url).toBeUndefined();
    }
    await page.goto(`${base}/papers/2506.00005`);
    expect(await page.locator('h1').textContent()).toBe(`Hostile ${HOSTILE}`);
    expect(await page.locator('.paper-authors').textContent()).toBe(`Mallory ${HOSTILE}`);
    // The only pictures are the site's own (covers, cached figures, avatars): none injected by the record.
    const srcs = await page.locator('main img').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src') ?? ''));
    for (const src of srcs) expect(src).toMatch(/^\/(covers|figures|org-avatars)\//);
    if (dialect === 'sqlite') await page.screenshot({ path: artifact('desktop-hostile.png'), fullPage: true });
    expect(dialogs).toBe(0);
    expect(errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});
