import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPendingFacts } from '../../src/services/facts.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, listPapers, paper, type TestSite } from '../helpers/site.js';

/** Rankings (issue #18): papers by the number their abstract claims, per kind, metric, setting, window. */
const ABSTRACTS = {
  // speedups in ×: 5.8 (a range, by its upper end), 3 (old, on GPU), 1.79 (decoding, CPU)
  '2506.00101': 'We present a decoder with decoding speedups of up to 1.79x on CPU, and it needs 62% less KV cache.',
  '2506.00102': 'Our kernel achieves a 2.8x–5.8x wall-time speedup over FlashAttention-2.',
  // written in TeX, as arXiv abstracts often are: the span renders as math, never as raw TeX
  '2504.00103': 'The method yields a $3\\times$ inference speedup on GPU.',
  // a speedup in %: its own unit, never ranked against the × ones
  '2506.00104': 'Our method achieves a 45% speedup in training.',
  // scores on MMLU
  '2506.00105': 'Our model reaches 71.2% accuracy on MMLU, and 90.1% on GSM8K.',
  '2506.00106': 'Our model reaches 86.4% accuracy on MMLU.',
  // no facts
  '2506.00107': 'We study the history of printing.',
} as const;

interface ApiRanking {
  title: string;
  unit: string | null;
  units: Array<{ unit: string; papers: number }>;
  total: number;
  since: string | null;
  asOf: string | null;
  items: Array<{
    rank: number;
    value: number;
    fact: { span: string; kind: string; value: number; value_max: number | null; unit: string };
    paper: { id: string; title: string; url: string };
  }>;
}

describe.each(TEST_DIALECTS)('result rankings on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    // The site's clock is 2025-06-12; one paper is from April, outside "this month".
    site = await createTestSite(dialect);
    await listPapers(
      site.db,
      '2025-06-10',
      Object.entries(ABSTRACTS).map(([id, abstract]) =>
        paper(id, {
          title: `Paper ${id}`,
          abstract,
          publishedAt: id.startsWith('2504') ? '2025-04-01T00:00:00.000Z' : '2025-06-10T00:00:00.000Z',
        }),
      ),
    );
    await extractPendingFacts(site.app);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });
  const api = async (url: string) => {
    const r = await get(url);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as ApiRanking;
  };

  it('ranks speedups by value, largest first, one unit at a time, each with its span and paper', async () => {
    const r = await api('/api/results/speedup');
    expect(r.title).toBe('Largest claimed speedups');
    expect(r.unit).toBe('x');
    expect(r.units).toEqual([
      { unit: 'x', papers: 3 },
      { unit: '%', papers: 1 },
    ]);
    expect(r.total).toBe(3);
    expect(r.items.map((i) => [i.rank, i.paper.id, i.value])).toEqual([
      [1, '2506.00102', 5.8],
      [2, '2504.00103', 3],
      [3, '2506.00101', 1.79],
    ]);
    expect(r.items[0].fact).toMatchObject({ kind: 'speedup', value: 2.8, value_max: 5.8, unit: 'x' });
    expect(r.items[2].fact.span).toBe('decoding speedups of up to 1.79x on CPU');
    expect(r.items[2].paper.url).toBe('http://paperboy.test/papers/2506.00101');
    const pct = await api('/api/results/speedup?unit=%25');
    expect(pct.items.map((i) => [i.paper.id, i.value])).toEqual([['2506.00104', 45]]);
  });

  it('narrows by metric, setting and window, and says so in the title', async () => {
    const decoding = await api('/api/results/speedup?metric=Decoding');
    expect(decoding.title).toBe('Largest claimed Decoding speedups');
    expect(decoding.items.map((i) => i.paper.id)).toEqual(['2506.00101']);
    expect((await api('/api/results/speedup?setting=gpu')).items.map((i) => i.paper.id)).toEqual(['2504.00103']);
    const month = await api('/api/results/speedup?period=month');
    expect(month.title).toBe('Largest claimed speedups this month');
    expect(month.asOf).toBe('2025-06-10');
    expect(month.since).toBe('2025-05-12');
    expect(month.items.map((i) => i.paper.id)).toEqual(['2506.00102', '2506.00101']);
    const mmlu = await api('/api/results/score?setting=MMLU');
    expect(mmlu.title).toBe('MMLU scores');
    expect(mmlu.items.map((i) => [i.paper.id, i.value])).toEqual([
      ['2506.00106', 86.4],
      ['2506.00105', 71.2],
    ]);
    // A search term of LIKE's own syntax matches itself, not everything.
    expect((await api('/api/results/speedup?metric=%25')).total).toBe(0);
  });

  it('renders the page: rows with number, span and paper, tabs, filter form and feed links', async () => {
    const r = await get('/results/speedup');
    expect(r.statusCode).toBe(200);
    const rows = [...r.body.matchAll(/<li class="rank-row">([\s\S]*?)<\/li>/g)].map((m) => m[1]);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('<span class="rank-value fact-speedup">2.8–5.8x</span>');
    expect(rows[0]).toContain('<a class="rank-paper" href="/papers/2506.00102">Paper 2506.00102</a>');
    expect(rows[2]).toContain('<q class="rank-span">decoding speedups of up to 1.79x on CPU</q>');
    expect(rows[1]).toMatch(/<q class="rank-span"><span class="katex">.*<\/q>/);
    expect(rows[1]).toContain('<mo>×</mo>');
    expect(rows[1]).not.toContain('$');
    expect(r.body).toContain('<h1>Largest claimed speedups</h1>');
    expect(r.body).toContain('<a class="tab" aria-current="page" href="/results/speedup">Speedups</a>');
    expect(r.body).toContain('href="/results/speedup?unit=%25"');
    expect(r.body).toContain('href="/feeds/results/speedup.xml"');
    expect(r.body).toContain('href="/api/results/speedup"');
    expect(r.body).toContain('<form class="rank-filter" method="get" action="/results/speedup"');
    expect(r.body).toMatch(/<a href="\/results"[^>]*>Results<\/a>/);
    const empty = await get('/results/reduction?metric=nothing%20like%20this');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('class="empty"');
  });

  it('lists every kind with its common metrics and settings on /results', async () => {
    const r = await get('/results');
    expect(r.statusCode).toBe(200);
    for (const kind of ['speedup', 'reduction', 'improvement', 'score', 'scale'])
      expect(r.body).toContain(`href="/results/${kind}"`);
    // MMLU is the setting of two papers' scores; a term of one paper is not listed.
    expect(r.body).toContain('href="/results/score?setting=MMLU"');
    expect(r.body).not.toContain('setting=GSM8K');
  });

  it('links each chip and each Results entry to its ranking', async () => {
    const card = (await get('/papers/new/2025-06-10')).body;
    expect(card).toContain(
      '<li class="fact-chip fact-speedup"><a href="/results/speedup?metric=decoding&amp;unit=x" title="decoding speedups of up to 1.79x on CPU">1.79× faster decoding · CPU</a></li>',
    );
    const page = (await get('/papers/2506.00101')).body;
    expect(page).toContain('<a class="fact-rank" href="/results/speedup?metric=decoding&amp;unit=x">');
    expect((await get('/results/speedup?metric=decoding&unit=x')).body).toContain('/papers/2506.00101');
  });

  it('serves the ranking as RSS and Atom, each item titled with its number', async () => {
    const rss = await get('/feeds/results/speedup.xml?period=month');
    expect(rss.statusCode).toBe(200);
    expect(rss.headers['content-type']).toContain('application/rss+xml');
    expect(rss.body).toContain('<title>Largest claimed speedups this month</title>');
    const titles = [...rss.body.matchAll(/<item>\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['#1 2.8–5.8x — Paper 2506.00102', '#2 1.79x — Paper 2506.00101']);
    expect(rss.body).toContain('http://paperboy.test/feeds/results/speedup.xml?period=month');
    const atom = await get('/feeds/results/score.atom?setting=MMLU');
    expect(atom.statusCode).toBe(200);
    expect(atom.body).toContain('#1 86.4% — Paper 2506.00106');
  });

  it('answers bad input with 4xx naming the parameter, never a 500', async () => {
    const bad = async (url: string, status: number, parameter?: string) => {
      const r = await get(url);
      expect(r.statusCode, url).toBe(status);
      if (parameter) expect(r.json().parameter, url).toBe(parameter);
    };
    await bad('/api/results/speedup?period=decade', 400, 'period');
    await bad('/api/results/speedup?unit=%3Cb%3E', 400, 'unit');
    await bad(`/api/results/speedup?metric=${'m'.repeat(81)}`, 400, 'metric');
    await bad('/api/results/speedup?page=0', 400, 'page');
    await bad('/api/results/speedup?page=2', 404);
    await bad('/api/results/speed', 404);
    await bad('/results/faster', 404);
    await bad('/feeds/results/speedup.json', 404);
    await bad('/api/results/speedup?metric=a&metric=b', 400, 'metric');
  });

  it('serves repeated anonymous requests of a ranking, its API and feed from the cache', async () => {
    for (const url of ['/results/score?setting=MMLU', '/api/results/score?setting=MMLU', '/feeds/results/score.xml']) {
      const first = await get(url);
      const hits = site.server.responseCache.stats.hits;
      const second = await get(url);
      expect(site.server.responseCache.stats.hits, url).toBe(hits + 1);
      expect(second.body).toBe(first.body);
    }
  });
});
