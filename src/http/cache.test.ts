import { describe, expect, it } from 'vitest';
import type { Freshness } from '../services/content-version.js';
import { ResponseCache } from './cache.js';

const r = (body: string, status = 200) => ({ status, contentType: 'text/html', body: Buffer.from(body), headers: {} });

/** A change counter the test moves by hand: `changed(id)` marks a paper, `changed()` everything. */
function versions() {
  let seq = 0;
  let everything = 0;
  const papers = new Map<number, number>();
  return {
    mark: () => seq,
    isFresh: (f: Freshness) =>
      f.seq >= everything &&
      (f.papers === null ? f.seq >= seq : f.papers.every((id) => (papers.get(id) ?? 0) <= f.seq)),
    changed(id?: number) {
      seq++;
      if (id === undefined) everything = seq;
      else papers.set(id, seq);
    },
  };
}

const settle = () => new Promise((res) => setTimeout(res, 5));

describe('ResponseCache', () => {
  it('keeps a page showing papers 1 and 2 fresh through a vote on paper 3, and refreshes it after one on 2', async () => {
    const v = versions();
    const c = new ResponseCache(v, { refreshMinMs: 0, refreshRenderMultiple: 0 });
    let renders = 0;
    const render = (body: string) => async () => {
      renders++;
      return { response: r(body), papers: [1, 2] };
    };
    expect((await c.fetch('/a', render('one'))).body.toString()).toBe('one');
    v.changed(3);
    expect((await c.fetch('/a', render('x'))).body.toString()).toBe('one');
    expect(renders).toBe(1);
    expect(c.stats.hits).toBe(1);
    v.changed(2);
    // Stale: served once more while one background render refreshes it.
    expect((await c.fetch('/a', render('two'))).body.toString()).toBe('one');
    await settle();
    expect((await c.fetch('/a', render('three'))).body.toString()).toBe('two');
    expect(renders).toBe(2);
    v.changed(); // everything (an import, a submission)
    await c.fetch('/a', render('four'));
    await settle();
    expect((await c.fetch('/a', render('five'))).body.toString()).toBe('four');
  });

  it('a page that may show anything goes stale on any change', async () => {
    const v = versions();
    const c = new ResponseCache(v, { refreshMinMs: 0, refreshRenderMultiple: 0 });
    await c.fetch('/list', async () => ({ response: r('v1'), papers: null }));
    v.changed(99);
    expect((await c.fetch('/list', async () => ({ response: r('v2'), papers: null }))).body.toString()).toBe('v1');
    await settle();
    expect((await c.fetch('/list', async () => ({ response: r('v3'), papers: null }))).body.toString()).toBe('v2');
  });

  it('refreshes a stale page at most once per interval, however many changes come', async () => {
    const v = versions();
    const c = new ResponseCache(v, { refreshMinMs: 60_000 });
    let renders = 0;
    const render = async () => {
      renders++;
      return { response: r(`r${renders}`), papers: null };
    };
    await c.fetch('/hot', render);
    for (let i = 0; i < 100; i++) {
      v.changed(i);
      expect((await c.fetch('/hot', render)).body.toString()).toBe('r1');
    }
    await settle();
    expect(renders).toBe(1); // rendered 0 s ago: the next refresh waits for the interval
    await c.fetch('/hot', render, Date.now() + 60_000);
    await settle();
    expect(renders).toBe(2);
  });

  it('renders once for concurrent misses, and never keeps errors', async () => {
    const c = new ResponseCache(versions());
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((res) => setTimeout(res, 20));
      return { response: r('page'), papers: null };
    };
    const all = await Promise.all(Array.from({ length: 20 }, () => c.fetch('/a', slow)));
    expect(all.every((x) => x.body.toString() === 'page')).toBe(true);
    expect(renders).toBe(1);
    await c.fetch('/missing', async () => ({ response: r('nope', 404), papers: null }));
    expect(c.has('/missing')).toBe(false);
  });

  it('stays within its byte budget, dropping the least recently used, and never keeps a huge response', async () => {
    const c = new ResponseCache(versions(), { maxBytes: 3 * 1400, maxEntryBytes: 2000 });
    const page = (n: number) => async () => ({ response: r('x'.repeat(1000 + n)), papers: null });
    await c.fetch('/a', page(1));
    await c.fetch('/b', page(2));
    await c.fetch('/c', page(3));
    await c.fetch('/a', page(1)); // /a used again: /b is now the least recently used
    await c.fetch('/d', page(4));
    expect(c.byteSize).toBeLessThanOrEqual(3 * 1400);
    expect(c.has('/a')).toBe(true);
    expect(c.has('/b')).toBe(false);
    expect(c.stats.evictions).toBeGreaterThan(0);
    await c.fetch('/huge', async () => ({ response: r('y'.repeat(5000)), papers: null }));
    expect(c.has('/huge')).toBe(false);
  });

  it('refreshes an expensive page less often: at most once per 20 of its renders', async () => {
    const v = versions();
    const c = new ResponseCache(v, { refreshMinMs: 10 });
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((res) => setTimeout(res, 50)); // a 50 ms render: refreshed at most once per ≥ 1 s
      return { response: r(`v${renders}`), papers: null };
    };
    const t0 = Date.now();
    await c.fetch('/trending', slow, t0);
    v.changed();
    await c.fetch('/trending', slow, t0 + 500); // stale, but its own interval has not passed
    expect(c.stats.refreshes).toBe(0);
    await c.fetch('/cheap', async () => ({ response: r('c'), papers: null }), t0);
    v.changed();
    await c.fetch('/cheap', async () => ({ response: r('c2'), papers: null }), t0 + 500); // 10 ms bound
    expect(c.stats.refreshes).toBe(1);
    // Refreshed once its own interval has passed (20 × its render, however slow this machine made it).
    expect((await c.fetch('/trending', slow, t0 + 25_000)).body.toString()).toBe('v1');
    expect(c.stats.refreshes).toBe(2);
    await new Promise((res) => setTimeout(res, 80));
    expect(renders).toBe(2);
  });
});
