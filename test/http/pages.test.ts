import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS } from '../../src/http/server.js';
import { warmSearch } from '../../src/services/search.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, getRefreshed, listPapers, paper, type TestSite } from '../helpers/site.js';
import { seedFixture } from '../helpers/site-fixture.js';

/** Titles of the cards on a page, in order. */
function cardTitles(body: string): string[] {
  return [...body.matchAll(/<h3 class="card-title"><a href="[^"]+">(.*?)<\/a>/g)].map((m) =>
    m[1].replace(/<\/?mark>/g, ''),
  );
}

describe.each(TEST_DIALECTS)('site pages on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect);
    await seedFixture(site.db);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });

  it('shows the latest Daily Papers day on /, with a way to the previous day', async () => {
    const r = await get('/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(cardTitles(r.body)).toEqual(['Epsilon from Apple']);
    expect(r.body).toContain('June 11, 2025');
    expect(r.body).toContain(
      '<img class="org-avatar" src="/org-avatars/apple.svg" alt="" width="20" height="20" loading="lazy">Apple',
    );
    expect(r.body).toContain('href="/papers/date/2025-06-10"');
    expect(r.body).toContain('Get trending papers in your email inbox!');
    expect(r.body).toMatch(/<form method="post" action="\/subscribe">[\s\S]*name="email"/);
    expect(r.body).toContain('<link rel="alternate" type="application/rss+xml"');
  });

  it("orders a day by upvotes, then by the day's own order, with card details", async () => {
    const r = await get('/papers/date/2025-06-10');
    expect(r.statusCode).toBe(200);
    expect(cardTitles(r.body)).toEqual(['Beta speculative decoding', 'Alpha sparse attention', 'Delta with code']);
    expect(r.body).toContain('Daily Papers (3)');
    expect(r.body).toContain('New on arXiv (4)');
    expect(r.body).toContain('2 authors');
    expect(r.body).toContain('<time datetime="2025-06-10">Jun 10</time>');
    expect(r.body).toContain('class="badge code" href="https://github.com/meta/delta"');
    expect(r.body).toContain('href="/papers/date/2025-06-11"');
  });

  it('lists New on arXiv filtered by category', async () => {
    const all = await get('/papers/new/2025-06-11');
    expect(cardTitles(all.body).sort()).toEqual(['Epsilon from Apple', 'Zeta unfeatured']);
    const r = await get('/papers/new/2025-06-11?category=stat.ML');
    expect(cardTitles(r.body)).toEqual(['Zeta unfeatured']);
    expect(r.body).toContain('<option value="stat.ML" selected>stat.ML (1)</option>');
    expect((await get('/papers/new/2025-06-11?category=%3Cx%3E')).statusCode).toBe(400);
  });

  it('answers malformed dates with 400, empty days and pages past the end with 404', async () => {
    const bad = await get('/papers/date/2025-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is not a date');
    expect(bad.body).toContain('href="/papers/date/2025-06-11"');
    const empty = await get('/papers/date/2025-06-01');
    expect(empty.statusCode).toBe(404);
    expect(empty.body).toContain('no papers listed on June 1, 2025');
    expect((await get('/papers/date/2025-06-10?page=9')).statusCode).toBe(404);
    expect((await get('/papers/date/2025-06-10?page=abc')).statusCode).toBe(400);
    expect((await get('/papers/week/2025-W99')).statusCode).toBe(400);
    expect((await get('/papers/month/2025-13')).statusCode).toBe(400);
    const nowhere = await get('/no/such/page');
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.body).toContain('There is no page at /no/such/page');
  });

  it('redirects the date picker and shows weeks and months with navigation', async () => {
    const pick = await get('/papers/date?day=2025-06-10');
    expect(pick.statusCode).toBe(302);
    expect(pick.headers.location).toBe('/papers/date/2025-06-10');
    const week = await get('/papers/week/2025-W24');
    expect(week.statusCode).toBe(200);
    expect(cardTitles(week.body)).toEqual([
      'Beta speculative decoding',
      'Epsilon from Apple',
      'Alpha sparse attention',
      'Delta with code',
    ]);
    expect(week.body).toContain('href="/papers/week/2025-W23"');
    expect(week.body).toContain('href="/papers/week/2025-W25"');
    const month = await get('/papers/month/2025-06');
    expect(month.body).toContain('June 2025');
    expect(cardTitles(month.body)).toHaveLength(4);
    expect(month.body).toContain('href="/papers/month/2025-05"');
  });

  it('renders a paper page and redirects every accepted id form to the canonical URL', async () => {
    const r = await get('/papers/2506.00004');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('<h1>Delta with code</h1>');
    // LaTeX typeset on the server: KaTeX's markup, \emph as <em>, no dollar signs, its stylesheet linked.
    expect(r.body).toMatch(/<span class="katex">.*<mi>α<\/mi>.*<\/span>-sparsity and <em>fast<\/em> decoding\./);
    expect(r.body).not.toContain('$\\alpha$');
    const katexCss = r.body.match(/href="(\/static\/katex\.[0-9a-f]+\.css)"/)?.[1];
    expect(katexCss).toBeDefined();
    const css = await get(katexCss!);
    expect(css.statusCode).toBe(200);
    const font = css.body.match(/url\((\/static\/katex-fonts\/KaTeX_Main-Regular\.[0-9a-f]+\.woff2)\)/)?.[1];
    expect(font).toBeDefined();
    const fontReply = await get(font!);
    expect(fontReply.statusCode).toBe(200);
    expect(fontReply.headers['content-type']).toBe('font/woff2');
    expect((await get('/static/katex-fonts/KaTeX_Main-Regular.0000000000.woff2')).statusCode).toBe(404);
    // A page without a formula does not load KaTeX's stylesheet.
    expect((await get('/')).body).not.toContain('/static/katex.');
    expect(r.body).toContain('href="https://arxiv.org/pdf/2506.00004"');
    expect(r.body).toContain('@misc{lovelace2025delta');
    // Logged out, the upvote is still a button: a GET form to the log-in page that comes back here.
    expect(r.body).toMatch(
      /<form method="get" action="\/login" class="votes inline"><input type="hidden" name="next" value="\/papers\/2506\.00004"><button type="submit" class="vote-button"/,
    );
    // Two columns' worth: the side column holds links, organisation, authors, details and the citation.
    const side = r.body.slice(r.body.indexOf('<aside class="paper-side"'));
    for (const id of ['links-h', 'org-h', 'authors-h', 'details-h', 'bibtex-h']) expect(side).toContain(`id="${id}"`);
    expect(r.body).toContain('No comments here yet');
    expect(r.body).toContain('id="discussion"');
    expect(r.body).toContain('href="/orgs/meta"');
    for (const form of ['2506.00004v3', 'arXiv:2506.00004', 'arxiv:2506.00004v1']) {
      const red = await get(`/papers/${encodeURIComponent(form).replace(/%2F/g, '/')}`);
      expect(red.statusCode, form).toBe(301);
      expect(red.headers.location).toBe('/papers/2506.00004');
    }
    expect((await get('/papers/2506.99999')).statusCode).toBe(404);
    expect((await get('/papers/')).headers.location).toBe('/papers');
    const garbled = await get('/papers/%E0%A4%A');
    expect(garbled.statusCode).toBe(400);
    expect(garbled.headers['content-type']).toContain('text/html');
    const bad = await get('/papers/not-an-id');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('is not an arXiv identifier');
  });

  it('shows similar papers once the semantic index is ready', async () => {
    await warmSearch(site.app, { semantic: true });
    site.app.contentVersion.everythingChanged();
    const r = await getRefreshed(site, '/papers/2506.00001');
    expect(r.body).toContain('<h2 id="similar-h">Similar papers</h2>');
    const similar = [...r.body.matchAll(/<a class="similar-title" href="[^"]+">([^<]*)<\/a>/g)].map((m) => m[1]);
    expect(similar.length).toBeGreaterThan(0);
    expect(similar).not.toContain('Alpha sparse attention');
  });

  it('searches with filters and paging', async () => {
    const r = await get('/papers?q=sparse&mode=keyword');
    expect(r.statusCode).toBe(200);
    expect(r.body).toMatch(/(About )?2 papers for “sparse”/);
    expect(cardTitles(r.body).sort()).toEqual(['Alpha sparse attention', 'Delta with code']);
    expect(r.body).toContain('<mark>'); // the engine's highlights survive sanitising
    // The default (words and meaning) ranks the papers that contain the words first.
    const hybrid = await get('/papers?q=sparse');
    expect(
      cardTitles(hybrid.body)
        .slice(0, 2)
        .map((t) => t.replace(/<\/?mark>/g, ''))
        .sort(),
    ).toEqual(['Alpha sparse attention', 'Delta with code']);
    const code = await get('/papers?q=sparse&code=1');
    expect(cardTitles(code.body)).toEqual(['Delta with code']);
    const cat = await get('/papers?q=decoding&category=cs.LG');
    expect(cardTitles(cat.body)).toEqual(['Beta speculative decoding']);
    const range = await get('/papers?q=abstract&mode=keyword&from=2025-06-11&to=2025-06-11');
    expect(cardTitles(range.body).sort()).toEqual(['Epsilon from Apple', 'Zeta unfeatured']);
    const org = await get('/papers?q=sparse&org=meta');
    expect(cardTitles(org.body)).toEqual(['Delta with code']);
    expect((await get('/papers?q=sparse&mode=psychic')).statusCode).toBe(400);
    const bad = await get('/papers?q=x&from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('&quot;yesterday&quot; is not a date');
    expect((await get('/papers?q=sparse&mode=keyword&page=5')).statusCode).toBe(404);
    expect(r.body).toContain('href="/feeds/search.xml?q=sparse&amp;mode=keyword"');
  });

  it("shows an organisation's papers and 404s an unknown one", async () => {
    const r = await get('/orgs/apple');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('Apple');
    expect(cardTitles(r.body)).toEqual(['Epsilon from Apple']);
    expect(r.body).toContain('href="/feeds/orgs/apple.xml"');
    expect((await get('/orgs/nobody')).statusCode).toBe(404);
    expect(r.body).toContain('<a href="/orgs">All organisations</a>');
  });

  it('lists every organisation on /orgs, most papers first, each linking to its page', async () => {
    const r = await get('/orgs');
    expect(r.statusCode).toBe(200);
    const names = [...r.body.matchAll(/<li><a href="\/orgs\/([^"]+)">/g)].map((m) => decodeURIComponent(m[1]));
    // One paper each here, so the tie is broken by name; the hostile name is escaped, not run.
    expect(names).toEqual(['apple', names[1], 'meta']);
    expect(names[1]).toMatch(/^evil<script>/);
    expect(r.body).toContain('1 paper');
    expect(r.body).not.toContain('<script>');
    expect((await get('/orgs?page=9')).statusCode).toBe(404);
    expect((await get('/orgs?page=x')).statusCode).toBe(400);
  });

  it('renders hostile titles, abstracts, authors and organisation names as text', async () => {
    for (const url of [
      '/papers/date/2025-06-10?page=1',
      '/papers/new/2025-06-10',
      '/papers/2506.00005',
      '/papers?q=hostile',
      '/papers/trending',
    ]) {
      const r = await get(url);
      expect(r.statusCode, url).toBe(200);
      expect(r.body, url).not.toContain('<script>window');
      expect(r.body, url).not.toContain('<img src=x');
    }
    const p = await get('/papers/2506.00005');
    expect(p.body).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('sends security headers on pages, errors and assets', async () => {
    const home = await get('/');
    const css = home.body.match(/href="(\/static\/site\.[0-9a-f]+\.css)"/)![1];
    for (const url of ['/', '/papers/date/nope', '/nowhere', css, '/api/daily_papers?date=x', '/feeds/daily.xml']) {
      const r = await get(url);
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(r.headers[k], `${url} ${k}`).toBe(v);
    }
    expect(SECURITY_HEADERS['content-security-policy']).toContain("script-src 'self'");
    expect(SECURITY_HEADERS['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(home.body).not.toMatch(/<script>(?!window)/);
    expect((await get(css)).headers['cache-control']).toContain('immutable');
  });

  it('serves cached pages until what they show changes', async () => {
    await get('/papers/date/2025-06-11');
    const hits = site.server.responseCache.stats.hits;
    await get('/papers/date/2025-06-11');
    expect(site.server.responseCache.stats.hits).toBe(hits + 1);
    await site.db.kysely
      .updateTable('papers')
      .set({ title: 'Epsilon renamed' })
      .where('arxiv_id', '=', '2506.00006')
      .execute();
    expect((await get('/papers/date/2025-06-11')).body).not.toContain('Epsilon renamed');
    site.app.contentVersion.everythingChanged();
    expect((await getRefreshed(site, '/papers/date/2025-06-11')).body).toContain('Epsilon renamed');
  });
});

describe.each(TEST_DIALECTS)('a fresh site on %s', (dialect) => {
  it('shows the newest arXiv papers on / before any Daily Papers exist', async () => {
    const site = await createTestSite(dialect);
    try {
      const empty = await site.server.inject({ url: '/' });
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('No papers yet');
      await listPapers(site.db, '2025-06-09', [paper('2506.00010', { title: 'Older listing' })]);
      await listPapers(site.db, '2025-06-10', [paper('2506.00011', { title: 'Newest listing' })]);
      site.app.contentVersion.everythingChanged();
      const r = await getRefreshed(site, '/');
      expect(r.statusCode).toBe(200);
      expect(cardTitles(r.body)).toEqual(['Newest listing']);
      expect(r.body).toContain('New on arXiv (1)');
      expect(r.body).toContain('href="/papers/date/2025-06-09"');
    } finally {
      await site.close();
    }
  });
});
