import { describe, expect, it } from 'vitest';
import { fuzzRequests, isFault } from '../../bench/fuzz-requests.js';
import { buildFuzzWorld, FUZZ_ENV } from '../../bench/fuzz-world.js';
import { buildServer } from '../../src/http/server.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS } from '../helpers/db.js';

/**
 * The short run of `npm run fuzz`: 5,000 generated and hostile requests over every route of the
 * route table and every OpenAPI parameter. Not one may answer 500 or more (but /readyz's 503).
 */
const REQUESTS = 5_000;

describe.each(TEST_DIALECTS)('fuzzing every route on %s', (dialect) => {
  it(`answers ${REQUESTS} hostile requests without a 5xx`, { timeout: 300_000 }, async () => {
    const db = await createTestDb(dialect);
    const app = testApp(db, FUZZ_ENV);
    const server = await buildServer(app);
    try {
      const world = await buildFuzzWorld(app, server);
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      for (const req of fuzzRequests(world, REQUESTS, 7)) {
        const res = await server.inject(req);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (isFault(req.route, res.statusCode))
          failures.push(`${res.statusCode} ${req.method} ${String(req.url).slice(0, 200)} → ${res.body.slice(0, 200)}`);
      }
      expect(failures).toEqual([]);
      // The run reached handlers, not only the front door: successes and refusals of several kinds.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 20);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
    } finally {
      await server.close();
      await db.drop();
    }
  });
});
