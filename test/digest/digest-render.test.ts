import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, type DigestPaper, shortAbstract } from '../../src/mail/digest.js';
import { artifact, launchBrowser } from '../helpers/browser.js';

/** The HTML digest in real Chromium: looks right on desktop and phone, loads nothing, runs nothing. */
const papers: DigestPaper[] = [
  {
    arxivId: '2606.01234',
    title: 'Scaling Laws for Sparse Mixture-of-Experts Language Models with $\\alpha$-Entmax Routing',
    abstract:
      'We study how sparse mixture-of-experts (MoE) language models scale with the number of experts, the routing function and the data budget. Using $\\alpha$-entmax routing we train 120 models from 50M to 30B parameters and find that \\emph{expert granularity} matters more than the total count. Our laws predict held-out loss within 1.5% and suggest compute-optimal MoE configurations that differ from dense ones.',
    authorCount: 14,
    organization: 'google',
    organizationFullname: 'Google',
    upvotes: 128,
  },
  {
    arxivId: '2606.02345',
    title: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>Robust & "Safe" Agents',
    abstract:
      'An abstract with <b>markup</b>, a <a href="https://evil.example">link</a> and a <style>body{display:none}</style> block, all of which must show as text.',
    authorCount: 1,
    organization: null,
    organizationFullname: null,
    upvotes: 1,
  },
  {
    arxivId: '2606.03456',
    title: 'AVeryLongUnbreakableWordThatCouldOverflowNarrowMailClientsIfNotHandledProperlyByTheLayout in a title',
    abstract: 'Short abstract.',
    authorCount: 3,
    organization: 'meta',
    organizationFullname: null,
    upvotes: 42,
  },
];

const mail = buildDigest({
  papers,
  period: 'daily',
  day: '2026-06-16',
  baseUrl: 'https://papers.example.org',
  unsubscribeUrl: 'https://papers.example.org/unsubscribe?token=1.2.abc',
  preferencesUrl: 'https://papers.example.org/preferences?token=1.2.def',
});

describe('digest mail', () => {
  it('has a plain-text part with titles, author counts, organisations, upvotes and links', () => {
    expect(mail.subject).toBe('Trending papers for Tue, Jun 16');
    expect(mail.text).toContain('1. Scaling Laws for Sparse Mixture-of-Experts Language Models with');
    expect(mail.text).toContain('14 authors · Google · 128 upvotes');
    expect(mail.text).toContain('1 author · 1 upvote');
    expect(mail.text).toContain('https://papers.example.org/papers/2606.01234');
    expect(mail.text).toContain('Unsubscribe: https://papers.example.org/unsubscribe?token=1.2.abc');
    // Lines wrap at 72 (RFC 5322 asks for at most 78); only a link or a single overlong word may exceed it.
    for (const line of mail.text.split('\n'))
      if (!/https?:\/\/|\S{60}/.test(line)) expect(line.length).toBeLessThanOrEqual(78);
    expect(shortAbstract(papers[0].abstract).length).toBeLessThanOrEqual(281);
    expect(shortAbstract(papers[0].abstract).endsWith('…')).toBe(true);
  });

  it('keeps styles inline and hostile text inert in the HTML', () => {
    expect(mail.html).not.toMatch(/<style|<script|<img|<link|@import|url\(/i);
    expect(mail.html).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
  });
});

describe('digest in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const [name, width] of [
    ['digest-desktop.png', 800],
    ['digest-phone.png', 375],
  ] as const) {
    it(`renders at ${width}px without loading or running anything (${name})`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 900 }, javaScriptEnabled: true });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      await page.setContent(mail.html, { waitUntil: 'load' });
      const state = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
        scrollWidth: document.documentElement.scrollWidth,
        links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        headings: document.querySelector('h1')?.textContent,
        text: document.body.textContent,
      }));
      expect(requests).toEqual([]);
      expect(state.pwned).toBeNull();
      expect(state.scrollWidth).toBeLessThanOrEqual(width);
      expect(state.headings).toBe('Trending papers for Tue, Jun 16');
      expect(state.text).toContain('<script>window.__pwned=2</script>Robust & "Safe" Agents');
      expect(state.links.every((h) => /^https:\/\/papers\.example\.org(\/|$)/.test(h!))).toBe(true);
      const file = artifact(name);
      await page.screenshot({ path: file, fullPage: true });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      await page.close();
    });
  }
});
