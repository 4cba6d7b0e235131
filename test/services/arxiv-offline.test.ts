import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interactiveArxivLookup } from '../../src/app.js';
import { AppError } from '../../src/lib/app-error.js';
import { submitPaper } from '../../src/services/submissions.js';
import { testApp } from '../helpers/app.js';
import { makeUser } from '../helpers/community.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/** A port nothing listens on: bound, then closed, so a connection is refused at once. */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * "Seconds", for a person waiting on a submission (the harvest client took 155 s: 6 attempts). One
 * retry, 3 s after the first try (arXiv's spacing, ARXIV_API_DELAY_MS): about 3.5 s; the rest is slack
 * for a loaded machine.
 */
const FAILS_WITHIN_MS = 8_000;

describe.each(TEST_DIALECTS)('an arXiv look-up that cannot reach arXiv, on %s', (dialect) => {
  let db: TestDb;
  let busy: http.Server | null = null;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    if (busy) await new Promise<void>((r) => busy!.close(() => r()));
    busy = null;
    await db.drop();
  });

  async function submitThrough(baseUrl: string) {
    const app = testApp(db, {}, { arxivLookup: interactiveArxivLookup(baseUrl) });
    const ada = await makeUser(app, 'ada', 'user', { createdHoursAgo: 48 });
    const started = Date.now();
    const err = await submitPaper(app, ada, '2611.01234').then(
      () => null,
      (e: unknown) => e,
    );
    return { err, ms: Date.now() - started };
  }

  it('fails within seconds on a closed port, saying what to do', async () => {
    const port = await closedPort();
    const { err, ms } = await submitThrough(`http://127.0.0.1:${port}/api/query`);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).message).toMatch(/arXiv could not be reached to look up 2611\.01234/);
    expect((err as AppError).message).toMatch(/Try again in a few minutes/);
    expect((err as AppError).message).toMatch(/ARXIV_LOOKUP=off/);
    expect((err as AppError).extra.parameter).toBe('arxivId');
    expect(ms).toBeLessThan(FAILS_WITHIN_MS);
    console.log(`closed port: the submission failed after ${ms} ms`);
  });

  it('does not let a busy arXiv (503, Retry-After 120) hold the person for minutes', async () => {
    let hits = 0;
    busy = http.createServer((_req, res) => {
      hits++;
      res.writeHead(503, { 'retry-after': '120', 'content-type': 'text/plain' });
      res.end('busy');
    });
    await new Promise<void>((r) => busy!.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as AddressInfo;
    const { err, ms } = await submitThrough(`http://127.0.0.1:${port}/api/query`);
    expect((err as AppError).code).toBe('unavailable');
    expect((err as AppError).message).toMatch(/HTTP 503/);
    expect(hits).toBe(2); // one retry, after a wait capped well under Retry-After
    expect(ms).toBeLessThan(FAILS_WITHIN_MS);
  });

  it('with ARXIV_LOOKUP=off, says that this site does not look papers up', async () => {
    const app = testApp(db, { ARXIV_LOOKUP: 'off' });
    const ada = await makeUser(app, 'ada', 'user', { createdHoursAgo: 48 });
    await expect(submitPaper(app, ada, '2611.01234')).rejects.toThrow(/ARXIV_LOOKUP=off/);
  });
});
