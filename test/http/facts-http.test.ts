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
      '<li class="fact-chip fact-speedup" title="decoding speedups of up to 1.79x on CPU">1.79× faster decoding · CPU</li>',
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
