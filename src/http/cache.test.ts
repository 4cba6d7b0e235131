import { describe, expect, it } from 'vitest';
import { ResponseCache } from './cache.js';

const r = (body: string) => ({ status: 200, contentType: 'text/html', body, headers: {} });

describe('ResponseCache', () => {
  it('serves an entry only at the version and age it was stored at', () => {
    const c = new ResponseCache(10, 1000);
    c.set('/a', 1, r('one'), 0);
    expect(c.get('/a', 1, 500)?.body).toBe('one');
    expect(c.get('/a', 2, 500)).toBeNull(); // a vote bumped the version
    c.set('/a', 2, r('two'), 0);
    expect(c.get('/a', 2, 1500)).toBeNull(); // too old: another process may have written
  });
  it('drops the oldest entry when full', () => {
    const c = new ResponseCache(2, 1000);
    c.set('/a', 0, r('a'), 0);
    c.set('/b', 0, r('b'), 0);
    c.set('/c', 0, r('c'), 0);
    expect(c.size).toBe(2);
    expect(c.get('/a', 0, 1)).toBeNull();
    expect(c.get('/c', 0, 1)?.body).toBe('c');
  });
});
