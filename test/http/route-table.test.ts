import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../src/http/routes.js';
import { fastifyPaths } from '../../src/http/server.js';
import { isApiPath } from '../../src/http/session.js';
import { createTestSite, type TestSite } from '../helpers/site.js';

/**
 * The route table is the whole web surface: the server registers exactly its rows, so a route
 * added beside it (and so outside its access, CSRF, cache and rate-limit columns) fails here.
 */
describe('the route table', () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await createTestSite('sqlite');
  });
  afterAll(async () => site.close());

  it('is exactly the set of routes the server registered', () => {
    const key = (m: string, u: string) => `${m} ${u}`;
    const table = routes.flatMap((r) => fastifyPaths(r.path).map((u) => key(r.method, u))).sort();
    const registered = site.server.registeredRoutes.map((r) => key(r.method, r.url)).sort();
    expect(registered).toEqual(table);
    expect(new Set(table).size).toBe(table.length); // no row twice
  });

  it('declares every column on every row, and the rules between them', () => {
    for (const r of routes) {
      const where = `${r.method} ${r.path}`;
      expect(['anyone', 'user', 'curator', 'admin', 'monitor'], where).toContain(r.access);
      expect(['token', 'origin', 'none'], where).toContain(r.csrf);
      expect(['public', 'feed', 'asset', 'private'], where).toContain(r.cache);
      expect(r.rateLimit === null || typeof r.rateLimit === 'string', where).toBe(true);
      // The API and the MCP endpoint take tokens only (session.ts ignores cookies there).
      const api = isApiPath(r.path);
      // Writes are never shared from the cache; browser writes carry a CSRF check unless a mail
      // token is their authorisation; the API takes tokens only, so it needs no CSRF token.
      if (r.method !== 'GET') expect(r.cache, where).toBe('private');
      if (api) expect(r.csrf, where).toBe('none');
      if (api && r.access !== 'anyone') expect(r.scope, where).toBeDefined();
      if (!api && r.method !== 'GET' && !['/unsubscribe', '/preferences'].includes(r.path))
        expect(r.csrf, where).not.toBe('none');
      if (r.access !== 'anyone') expect(r.cache, where).toBe('private');
    }
  });
});
