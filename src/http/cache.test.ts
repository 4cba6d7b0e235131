import { describe, expect, it } from 'vitest';
import { ResponseCache } from './cache.js';

const r = (body: string, status = 200) => ({ status, contentType: 'text/html', body: Buffer.from(body), headers: {} });

describe('ResponseCache', () => {
  it('serves an entry only at the version it was rendered at', async () => {
    const c = new ResponseCache(10, 1000);
    let renders = 0;
    const render = (body: string) => async () => {
      renders++;
      return r(body);
    };
    expect((await c.fetch('/a', 1, render('one'))).body.toString()).toBe('one');
    expect((await c.fetch('/a', 1, render('other'))).body.toString()).toBe('one');
    expect((await c.fetch('/a', 2, render('two'))).body.toString()).toBe('two'); // a vote bumped the version
    expect(renders).toBe(2);
    expect(c.hits).toBe(1);
  });

  it('renders once for concurrent misses, and never keeps errors', async () => {
    const c = new ResponseCache(10, 1000);
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((res) => setTimeout(res, 20));
      return r('page');
    };
    const all = await Promise.all(Array.from({ length: 20 }, () => c.fetch('/a', 0, slow)));
    expect(all.every((x) => x.body.toString() === 'page')).toBe(true);
    expect(renders).toBe(1);
    await c.fetch('/missing', 0, async () => r('nope', 404));
    expect(c.get('/missing', 0)).toBeNull();
  });

  it('serves a stale entry while one background render refreshes it', async () => {
    const c = new ResponseCache(10, 1000);
    c.set('/a', 0, r('old'), Date.now() - 5000);
    let renders = 0;
    const fresh = async () => {
      renders++;
      return r('new');
    };
    expect((await c.fetch('/a', 0, fresh)).body.toString()).toBe('old');
    await new Promise((res) => setTimeout(res, 5));
    expect((await c.fetch('/a', 0, fresh)).body.toString()).toBe('new');
    expect(renders).toBe(1);
  });

  it('drops the oldest entry when full', () => {
    const c = new ResponseCache(2, 1000);
    c.set('/a', 0, r('a'));
    c.set('/b', 0, r('b'));
    c.set('/c', 0, r('c'));
    expect(c.size).toBe(2);
    expect(c.get('/a', 0)).toBeNull();
    expect(c.get('/c', 0)?.response.body.toString()).toBe('c');
  });
});
