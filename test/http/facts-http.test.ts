import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPendingFacts } from '../../src/services/facts.js';
import { TEST_DIALECTS } from '../helpers/db.js';
import { createTestSite, listPapers, paper, type TestSite } from '../helpers/site.js';

const FAST = 'We present a decoder with decoding speedups of up to 1.79x on CPU, and it needs 62% less KV cache.';

describe.each(TEST_DIALECTS)('result facts on the site on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect);
    await listPapers(site.db, '2025-06-10', [
      paper('2506.00001', { abstract: FAST }),
      paper('2506.00002', { abstract: 'We study the history of printing.' }),
    ]);
    await extractPendingFacts(site.app);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });

  it('shows the top facts as chips on cards, with the span as the tooltip', async () => {
    const r = await get('/papers/new/2025-06-10');
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain(
      '<li class="fact-chip fact-speedup"><a href="/results/speedup?metric=decoding&amp;unit=x" title="decoding speedups of up to 1.79x on CPU">1.79× faster decoding · CPU</a></li>',
    );
    expect(r.body).toContain('−62% KV cache');
    expect(r.body.match(/class="fact-chips"/g)).toHaveLength(1);
  });

  it('adds facts to the API paper payload and the Markdown, HF fields unchanged', async () => {
    const r = await get('/api/papers/2506.00001');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.facts.map((f: { kind: string; value: number }) => [f.kind, f.value])).toEqual([
      ['speedup', 1.79],
      ['reduction', 62],
    ]);
    expect(body.summary).toBe(FAST);
    expect((await get('/api/papers/2506.00002')).json().facts).toEqual([]);
    const md = await get('/papers/2506.00001.md');
    expect(md.body).toContain('## Results');
    expect(md.body).toContain('- 1.79× faster decoding · CPU — "decoding speedups of up to 1.79x on CPU"');
  });
});

const TEXY =
  'We propose \\emph{Quick}, which reaches $86\\%$ accuracy on MMLU.\n\nIt yields a 3.2x speedup over FlashAttention on A100 GPUs <fast> & cuts memory by 40%.';

describe.each(TEST_DIALECTS)('the Results section of a paper page on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect);
    await listPapers(site.db, '2025-06-11', [
      paper('2506.00011', { abstract: FAST }),
      paper('2506.00012', { abstract: TEXY }),
      paper('2506.00013', { abstract: 'We study the history of printing.' }),
    ]);
    await extractPendingFacts(site.app);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });
  const marks = (body: string) => [...body.matchAll(/<mark>([\s\S]*?)<\/mark>/g)].map((m) => m[1]);
  const section = (body: string) => body.match(/<section class="paper-results"[\s\S]*?<\/section>/)?.[0] ?? '';

  it('lists every fact with its label and fields, and marks exactly the spans in the abstract', async () => {
    const body = (await get('/papers/2506.00011')).body;
    const results = section(body);
    expect(results).toContain('<h2 id="results-h">Results</h2>');
    expect(results).toContain('<strong class="fact-label">1.79× faster decoding · CPU</strong>');
    expect(results).toContain('speedup: <span class="fact-value">1.79x</span>');
    expect(results).toContain('setting <span class="fact-field">CPU</span>');
    expect(results).toContain('<strong class="fact-label">−62% KV cache</strong>');
    expect(results.match(/<li /g)).toHaveLength(2);
    expect(marks(body)).toEqual(['decoding speedups of up to 1.79x on CPU', '62% less KV cache']);
    // The marks sit in the abstract, before the Results section.
    expect(body.indexOf('<mark>')).toBeLessThan(body.indexOf('id="results-h"'));
  });

  it('marks spans in a LaTeX abstract in its plain text only, escaped, without breaking the markup', async () => {
    const api = (await get('/api/papers/2506.00012')).json() as { facts: Array<{ span: string }> };
    expect(api.facts.length).toBeGreaterThan(0);
    const body = (await get('/papers/2506.00012')).body;
    const abstract =
      body.match(/<div class="abstract">([\s\S]*?)<\/div>\s*(?:<p class="ai-summary"|<\/section>)/)?.[1] ?? '';
    expect(abstract).toContain('<em>Quick</em>');
    expect(abstract).toContain('class="katex"');
    expect(abstract).not.toContain('<fast>');
    const plain = (h: string) => h.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const marked = marks(abstract).map(plain);
    expect(marked.length).toBeGreaterThan(0);
    // Each mark is a span, or the plain part of one that holds a formula; and every span is marked.
    for (const m of marked) expect(api.facts.some((f) => f.span.includes(m.trim()))).toBe(true);
    for (const f of api.facts) {
      const plainPart = f.span
        .split(/\$[^$]*\$/)
        .map((x) => x.trim())
        .filter((x) => x !== '');
      for (const part of plainPart) expect(marked.some((m) => m.includes(part))).toBe(true);
    }
    expect(section(body).match(/<li /g)).toHaveLength(api.facts.length);
  });

  it('shows no Results section and no marks for a paper without facts', async () => {
    const body = (await get('/papers/2506.00013')).body;
    expect(section(body)).toBe('');
    expect(marks(body)).toEqual([]);
  });
});

describe.each(TEST_DIALECTS)('result facts in feeds on %s', (dialect) => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite(dialect);
    await listPapers(site.db, '2025-06-12', [
      paper('2506.00021', { title: 'Decoder with facts', abstract: FAST }),
      paper('2506.00022', { title: 'Decoder history', abstract: 'We study the decoder <b> history of printing.' }),
    ]);
    await extractPendingFacts(site.app);
  });
  afterAll(async () => {
    await site.close();
  });
  const get = (url: string) => site.server.inject({ method: 'GET', url });
  const items = (xml: string, tag: string) =>
    Object.fromEntries(
      [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => [
        m[1].match(/2506\.\d+/)?.[0],
        m[1],
      ]),
    );

  it('puts a line of the top facts above the abstract in RSS and Atom, and none for a paper without', async () => {
    const rss = await get('/feeds/search.xml?q=decoder&mode=keyword');
    expect(rss.statusCode).toBe(200);
    const r = items(rss.body, 'item');
    expect(r['2506.00021']).toContain(
      '<description>&lt;p&gt;Results: 1.79× faster decoding · CPU; −62% KV cache&lt;/p&gt;We present a decoder',
    );
    expect(r['2506.00022']).toContain('<description>We study the decoder &amp;lt;b&amp;gt; history');
    expect(r['2506.00022']).not.toContain('Results:');
    const atom = await get('/feeds/search.atom?q=decoder&mode=keyword');
    expect(atom.statusCode).toBe(200);
    const a = items(atom.body, 'entry');
    expect(a['2506.00021']).toContain(
      '<summary>Results: 1.79× faster decoding · CPU; −62% KV cache\n\nWe present a decoder',
    );
    expect(a['2506.00022']).not.toContain('Results:');
  });
});
