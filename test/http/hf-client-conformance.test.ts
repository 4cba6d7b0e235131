import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfDailySource } from '../../src/ingest/hf-daily/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { abstractText } from '../../src/lib/text.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { HfHttpError, type HfPaperInfo, HfPapersClient, parseDatetime } from '../helpers/hf-client.js';
import { createTestSite, type TestSite } from '../helpers/site.js';

/**
 * Conformance with Hugging Face's official Python client (huggingface_hub's list_papers, paper_info,
 * read_paper and list_daily_papers), ported in test/helpers/hf-client.ts from its source, which that
 * file cites rule by rule. paperboy is loaded with synthetic days in Hugging Face's format
 * (test/fixtures/hf-daily, made-up papers), imported through the real hf-daily importer, and the
 * client is pointed at it by changing only its endpoint, as issue #14 asks.
 */
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/hf-daily');
const FILES = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => path.join(FIXTURES, f));
const RECORDED = new Map<string, any>();
for (const f of FILES) for (const item of JSON.parse(fs.readFileSync(f, 'utf8'))) RECORDED.set(item.paper.id, item);
const NOW = new Date('2025-06-16T18:00:00.000Z');
const ENDPOINT = 'http://paperboy.test';
/** The one timestamp form huggingface_hub parses ([datetime] in hf-client.ts), with milliseconds. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every value under a key that holds a time in Hugging Face's answers. */
function timestamps(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) timestamps(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      if (/At$/.test(k) && x !== null) out.push(String(x));
      else timestamps(x, out);
    }
  return out;
}

/** The types the client's readers expect of every field it reads. */
function expectTyped(p: HfPaperInfo) {
  expect(typeof p.id).toBe('string');
  expect(Array.isArray(p.authors)).toBe(true);
  for (const a of p.authors!) expect(typeof a).toBe('string');
  expect(p.published_at).toBeInstanceOf(Date);
  expect(typeof p.title).toBe('string');
  expect(typeof p.summary).toBe('string');
  expect(Number.isInteger(p.upvotes)).toBe(true);
  expect(typeof p.discussion_id).toBe('string');
  expect(Number.isInteger(p.comments)).toBe(true);
}

describe.each(TEST_DIALECTS)("huggingface_hub's papers client against paperboy on %s", (dialect) => {
  let site: TestSite;
  let client: HfPapersClient;
  const raw: unknown[] = [];
  beforeAll(async () => {
    site = await createTestSite(dialect, NOW);
    const summary = await runImport(site.db, hfDailySource, FILES);
    expect(summary.rejected).toBe(0);
    client = new HfPapersClient(ENDPOINT, async (url, headers) => {
      const u = new URL(url);
      const r = await site.server.inject({ method: 'GET', url: u.pathname + u.search, headers });
      if ((r.headers['content-type'] ?? '').toString().includes('json')) raw.push(JSON.parse(r.body));
      return { status: r.statusCode, headers: r.headers, body: r.body };
    });
  });
  afterAll(async () => {
    await site.close();
  });
  /** When each paper of a period was featured (paper.submittedOnDailyAt), in ms. */
  const featured = async (period: string) => {
    const r = await site.server.inject({ url: `/api/daily_papers?${period}&limit=100` });
    const items = r.json() as any[];
    expect(items.length).toBeGreaterThan(0);
    return items.map((i) => Date.parse(i.paper.submittedOnDailyAt));
  };

  it('list_papers() with no query lists the newest papers, each a PaperInfo', async () => {
    const papers = await client.listPapers();
    expect(papers.map((p) => p.id)).toHaveLength(RECORDED.size);
    const times = papers.map((p) => p.published_at!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const p of papers) expectTyped(p);
  });

  it('list_papers(query, limit=120) searches, and takes the limit Hugging Face allows', async () => {
    const papers = await client.listPapers({ query: 'sparse', limit: 120 });
    expect(papers.map((p) => p.id)).toEqual(expect.arrayContaining(['2506.10002', '2505.20001']));
    const one = await client.listPapers({ query: 'speculative decoding', limit: 1 });
    expect(one).toHaveLength(1);
    await expect(client.listPapers({ query: 'x', limit: 121 })).rejects.toMatchObject({ status: 400 });
  });

  it('paper_info reads every field as recorded', async () => {
    const rec = RECORDED.get('2506.10002').paper;
    const p = await client.paperInfo('2506.10002');
    expectTyped(p);
    expect(p.id).toBe(rec.id);
    expect(p.authors).toEqual(rec.authors.map((a: any) => a.name));
    expect(p.published_at).toEqual(parseDatetime(rec.publishedAt));
    expect(p.title).toBe(rec.title);
    // Byte for byte: the fixture's title, summary and an author name carry line breaks and double spaces.
    expect(p.summary).toBe(rec.summary);
    expect(p.upvotes).toBe(rec.upvotes);
    expect(p.discussion_id).toBe(rec.discussionId);
    expect(p.comments).toBe(RECORDED.get('2506.10002').numComments);
    // A bare paper: publishedAt went to published_at, so submitted_at is submittedOnDailyAt.
    expect(p.submitted_at).toEqual(parseDatetime(rec.submittedOnDailyAt));
    expect(p.submitted_by).toMatchObject({ username: 'alice', fullname: 'Alice Example', user_type: 'user' });
    // Fields the client keeps as attributes ("forward compatibility"), exactly as recorded.
    expect(p.githubRepo).toBe('https://github.com/example-lab/SparseScale/');
    expect(p.githubStars).toBe(321);
    expect(p.projectPage).toBe(' https://example-lab.github.io/sparse/');
    expect(p.ai_summary).toBe(rec.ai_summary);
    expect(p.ai_keywords).toEqual(rec.ai_keywords);
    expect(p.organization).toMatchObject({ name: 'acme-ai', fullname: 'Acme AI' });
    expect((await client.paperInfo('2506.10003')).githubRepo).toBe('https://github.com/example-lab/bench/tree/main');
    expect((await client.paperInfo('arXiv:2506.10002v2')).id).toBe('2506.10002');
  });

  it('returns recorded titles, summaries, authors and publishedAt byte for byte; pages keep the normalised text', async () => {
    const item = RECORDED.get('2506.10002');
    expect(item.paper.summary).toMatch(/\n/);
    expect(item.paper.title).toMatch(/ {2}/);
    const exact = (p: any) => [p.title, p.summary, p.authors.map((a: any) => a.name)];
    const want = exact(item.paper);
    const daily = await site.server.inject({ url: '/api/daily_papers?date=2025-06-09' });
    const dailyItem = (daily.json() as any[]).find((i) => i.paper.id === '2506.10002');
    expect(exact(dailyItem.paper)).toEqual(want);
    expect([dailyItem.title, dailyItem.summary, dailyItem.publishedAt]).toEqual([
      item.title,
      item.summary,
      item.publishedAt,
    ]);
    const paper = await site.server.inject({ url: '/api/papers/2506.10002' });
    expect(exact(paper.json())).toEqual(want);
    const search = await site.server.inject({ url: '/api/papers/search?q=sparse%20attention' });
    const hit = (search.json() as any[]).find((i) => i.paper.id === '2506.10002');
    expect(exact(hit.paper)).toEqual(want);
    expect([hit.title, hit.summary]).toEqual([item.title, item.summary]);
    // Every recorded item's outer publishedAt comes back as recorded.
    const all = (await site.server.inject({ url: '/api/daily_papers?limit=100' })).json() as any[];
    expect(all.map((i) => i.publishedAt)).toEqual(all.map((i) => RECORDED.get(i.paper.id).publishedAt));
    // The site's page shows the normalised title; search still finds it by its words.
    const page = await site.server.inject({ url: '/papers/2506.10002' });
    expect(page.body).toContain(collapse(item.paper.title));
    expect(page.body).not.toContain(item.paper.title);
  });

  it('paper_info raises on a 404 for any id that names no paper, well-formed or not', async () => {
    for (const id of ['1234.56789', '2506.99999', 'not-a-paper', 'hep-th/9999999']) {
      const err = await client.paperInfo(id).catch((e) => e);
      expect(err, id).toBeInstanceOf(HfHttpError);
      expect(err.status, id).toBe(404);
      expect(JSON.parse(err.body).error, id).toMatch(/not found/);
    }
  });

  it('read_paper returns the paper as Markdown, also for Accept: text/markdown', async () => {
    const md = await client.readPaper('2506.10002');
    expect(md.startsWith('# Sparse attention at scale\n')).toBe(true);
    expect(md).toContain('- **Authors:** Ada Example, Grace Example');
    expect(md).toContain('[2506.10002](https://arxiv.org/abs/2506.10002)');
    expect(md).toContain('- **Published:** 2025-06-06');
    expect(md).toContain('(https://github.com/example-lab/SparseScale/) (321 stars)');
    expect(md).toContain('- **Discussion:** 3 comments');
    expect(md).toContain('- **Daily Papers:** [2025-06-09](http://paperboy.test/papers/date/2025-06-09)');
    expect(md).toContain(`## Abstract\n\n${abstractText(RECORDED.get('2506.10002').paper.summary)}`);
    // Markup in a title is text in Markdown, never HTML.
    expect(await client.readPaper('2506.10003')).toContain('# A \\<b\\>bold\\</b\\> benchmark');
    await expect(client.readPaper('1234.56789')).rejects.toMatchObject({ status: 404 });

    // One URL, two representations, each cached apart: HTML for browsers, Markdown when asked.
    const get = (accept: string) => site.server.inject({ url: '/papers/2506.10002', headers: { accept } });
    for (const round of [1, 2]) {
      const html = await get('text/html,application/xhtml+xml,*/*;q=0.8');
      expect(html.headers['content-type'], `round ${round}`).toContain('text/html');
      expect(html.headers.vary).toBe('Accept');
      const asked = await get('text/markdown, text/html;q=0.5');
      expect(asked.headers['content-type'], `round ${round}`).toContain('text/markdown');
      expect(asked.headers.vary).toBe('Accept');
      expect(asked.body).toBe(md);
    }
  });

  it('list_daily_papers() with no date lists every day, newest featured first, paged by p and limit', async () => {
    const all = await client.listDailyPapers({ limit: 100 });
    expect(all.map((p) => p.id)).toEqual([
      '2506.10007',
      '2506.10006',
      '2506.10005',
      '2506.10004',
      '2506.10003',
      '2506.10002',
      '2506.10001',
      '2505.20002',
      '2505.20001',
    ]);
    const times = all.map((p) => p.submitted_at!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const p of all) expectTyped(p);
    const pages: string[] = [];
    for (let p = 0; ; p++) {
      const page = await client.listDailyPapers({ p, limit: 4 });
      pages.push(...page.map((x) => x.id!));
      if (page.length < 4) break;
    }
    expect(pages).toEqual(all.map((p) => p.id));
    // The daily item's publishedAt, as Hugging Face recorded it, is the client's submitted_at.
    expect(all[1].submitted_at).toEqual(parseDatetime(RECORDED.get('2506.10006').publishedAt));
    expect(all[1].published_at).toEqual(parseDatetime(RECORDED.get('2506.10006').paper.publishedAt));
  });

  it("list_daily_papers(week=…) runs from the previous week's Friday to the week's Sunday", async () => {
    const ids = async (week: string) => (await client.listDailyPapers({ week, limit: 100 })).map((p) => p.id).sort();
    expect(await ids('2025-W23')).toEqual(['2505.20001', '2505.20002', '2506.10001']);
    expect(await ids('2025-W24')).toEqual(['2506.10001', '2506.10002', '2506.10003', '2506.10004', '2506.10005']);
    expect(await ids('2025-W25')).toEqual(['2506.10004', '2506.10005', '2506.10006', '2506.10007']);
    // The week's papers were featured within its bounds. (The client's submitted_at is the outer
    // publishedAt, returned as Hugging Face recorded it, which lags the featured day.)
    for (const at of await featured('week=2025-W24')) {
      expect(at).toBeGreaterThanOrEqual(Date.parse('2025-06-06T00:00:00Z'));
      expect(at).toBeLessThan(Date.parse('2025-06-16T00:00:00Z'));
    }
  });

  it("list_daily_papers(month=…) runs from the previous month's last day", async () => {
    const june = await client.listDailyPapers({ month: '2025-06', limit: 100 });
    expect(june.map((p) => p.id).sort()).toEqual([...RECORDED.keys()].filter((id) => id !== '2505.20001').sort());
    // As in pull request 3585's test: the month's papers were featured within its bounds.
    for (const at of await featured('month=2025-06')) {
      expect(at).toBeGreaterThanOrEqual(Date.parse('2025-05-31T00:00:00Z'));
      expect(at).toBeLessThan(Date.parse('2025-07-01T00:00:00Z'));
    }
    // A month is ranked by upvotes, like a day.
    expect(june.map((p) => p.upvotes)).toEqual([...june.map((p) => p.upvotes)].sort((a, b) => b! - a!));
  });

  it('list_daily_papers(submitter="akhaliq") looks at every day (pull request 3585)', async () => {
    const papers = await client.listDailyPapers({ submitter: 'akhaliq' });
    expect(papers.map((p) => p.id)).toEqual(['2506.10006', '2506.10004', '2505.20001']);
    expect(papers[0].submitted_by!.fullname).toBe('AK');
    for (const p of papers) expect(p.submitted_by!.fullname).toBe('AK');
    expect(await client.listDailyPapers({ submitter: 'nobody' })).toEqual([]);
  });

  it('list_daily_papers(sort=…) orders every day by publishedAt or trending', async () => {
    const newest = await client.listDailyPapers({ sort: 'publishedAt', limit: 100 });
    const times = newest.map((p) => p.submitted_at!.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const trending = await client.listDailyPapers({ sort: 'trending', limit: 100 });
    expect(new Set(trending.map((p) => p.id)).size).toBe(RECORDED.size);
    // Featured today with the most upvotes: first; featured weeks ago: after everything in the window.
    expect(trending[0].id).toBe('2506.10006');
    expect(trending.map((p) => p.id).slice(-2)).toEqual(['2505.20002', '2505.20001']);
    const page2 = await client.listDailyPapers({ sort: 'trending', p: 1, limit: 3 });
    expect(page2.map((p) => p.id)).toEqual(trending.slice(3, 6).map((p) => p.id));
    expect((await client.listDailyPapers({ date: '2025-06-09', sort: 'trending' })).map((p) => p.id)).toEqual([
      '2506.10002',
      '2506.10003',
    ]);
  });

  it('raises on malformed parameters (a 400 naming them)', async () => {
    for (const [opts, parameter] of [
      [{ week: '2025-W60' }, 'week'],
      [{ month: '2025-13' }, 'month'],
      [{ date: '2025-02-30' }, 'date'],
      [{ sort: 'hot' }, 'sort'],
      [{ limit: 0 }, 'limit'],
    ] as const) {
      const err = await client.listDailyPapers(opts as never).catch((e) => e);
      expect(err, parameter).toBeInstanceOf(HfHttpError);
      expect(err.status, parameter).toBe(400);
      expect(JSON.parse(err.body).parameter, parameter).toBe(parameter);
    }
  });

  it('answers every timestamp in the form parse_datetime accepts', () => {
    const all = timestamps(raw);
    expect(all.length).toBeGreaterThan(50);
    for (const t of all) {
      expect(t).toMatch(TIMESTAMP);
      expect(() => parseDatetime(t)).not.toThrow();
    }
    // Including the one recorded with a one-digit fraction (2025-06-09T10:30:00.5Z).
    expect(all).toContain('2025-06-09T10:30:00.500Z');
  });
});
