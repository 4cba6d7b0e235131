import { afterEach, describe, expect, it } from 'vitest';
import { emptySummary, recordWrites } from '../../src/ingest/import-runner.js';
import { emptyRecord } from '../../src/model/paper.js';
import { CONTENT_VERSION_POLL_MS, REMOTE_CHANGE_MIN_MS } from '../../src/services/content-version.js';
import { bumpStoredContentVersion, readStoredContentVersion } from '../../src/store/content-version-store.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { waitFor } from '../helpers/jobs.js';

/** Let a started poll finish (it is one query). */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
}

describe.each(TEST_DIALECTS)('content version across processes (%s)', (dialect) => {
  let db: TestDb;
  afterEach(async () => db?.drop());

  it('a change in one app reaches another app on the same database after one poll, as a change to everything', async () => {
    db = await createTestDb(dialect);
    // Two Apps stand for two processes: each has its own in-process counter.
    const web1 = testApp(db);
    const web2 = testApp(db);
    let t = Date.now();
    web2.contentVersion.mark(t);
    await settle(); // first poll: learns the shared counter, no change yet
    const page = { seq: web2.contentVersion.mark(t), papers: [7] };
    expect(web2.contentVersion.isFresh(page)).toBe(true);

    const mine = { seq: web1.contentVersion.mark(t), papers: [7] };
    const other = { seq: web1.contentVersion.mark(t), papers: [8] };
    web1.contentVersion.paperChanged(7);
    expect(web1.contentVersion.isFresh(mine)).toBe(false); // the writer's own page of paper 7: stale at once
    expect(web1.contentVersion.isFresh(other)).toBe(true); // a page of another paper: still fresh
    // The write is not awaited by the vote; on a loaded machine it may take longer than settle().
    await waitFor(async () => (await readStoredContentVersion(db)) === 1, 'the shared counter moved', 5_000, 10);

    expect(web2.contentVersion.isFresh(page)).toBe(true); // not polled again within the interval
    t += CONTENT_VERSION_POLL_MS;
    web2.contentVersion.mark(t);
    await settle();
    // The other process cannot tell which paper changed: every page it holds is stale.
    expect(web2.contentVersion.isFresh(page)).toBe(false);
    expect(web2.contentVersion.isFresh({ seq: web2.contentVersion.mark(t), papers: null })).toBe(true);
  });

  it("a process's own changes coming back through the shared counter stay precise", async () => {
    db = await createTestDb(dialect);
    const web = testApp(db);
    let t = Date.now();
    web.contentVersion.mark(t);
    await settle();
    const page = { seq: web.contentVersion.mark(t), papers: [1] };
    for (let i = 0; i < 5; i++) web.contentVersion.paperChanged(2);
    // Both writes of the burst land (the second after STORE_MIN_INTERVAL_MS, 500 ms) before the poll.
    await new Promise((r) => setTimeout(r, 700));
    await settle();
    t += CONTENT_VERSION_POLL_MS;
    web.contentVersion.mark(t);
    await settle();
    expect(await readStoredContentVersion(db)).toBeGreaterThanOrEqual(1);
    expect(web.contentVersion.isFresh(page)).toBe(true); // only paper 2 changed, and we know it
    expect(web.contentVersion.changes.remote).toBe(0);
  });

  it('marks everything for remote changes at most once per REMOTE_CHANGE_MIN_MS, and never drops one', async () => {
    db = await createTestDb(dialect);
    const web = testApp(db);
    let t = Date.now();
    web.contentVersion.mark(t);
    await settle(); // learns the shared counter
    const importBatch = async () => {
      await bumpStoredContentVersion(db); // what an import in another process does after each batch
      t += CONTENT_VERSION_POLL_MS;
      web.contentVersion.mark(t);
      await settle();
    };
    await importBatch();
    expect(web.contentVersion.changes.remote).toBe(1); // the first one at once
    const page = { seq: web.contentVersion.mark(t), papers: [1] };
    await importBatch();
    await importBatch();
    // Within the interval: the page stays fresh, the change is remembered.
    expect(web.contentVersion.changes.remote).toBe(1);
    expect(web.contentVersion.isFresh(page)).toBe(true);
    // The interval passes with no further change: the remembered one marks everything.
    t += REMOTE_CHANGE_MIN_MS;
    web.contentVersion.mark(t);
    await settle();
    expect(web.contentVersion.changes.remote).toBe(2);
    expect(web.contentVersion.isFresh(page)).toBe(false);
  });

  it('writes the shared counter once for a burst of votes, and again for a vote after it', async () => {
    db = await createTestDb(dialect);
    const web = testApp(db);
    for (let i = 0; i < 50; i++) web.contentVersion.paperChanged(i + 1);
    await settle();
    const afterBurst = await readStoredContentVersion(db);
    expect(afterBurst).toBe(1); // the first at once; the other 49 wait for the next write
    // The next write comes within the interval and carries them all; a later vote gets its own.
    await new Promise((r) => setTimeout(r, 600));
    expect(await readStoredContentVersion(db)).toBe(2);
    web.contentVersion.paperChanged(99);
    await new Promise((r) => setTimeout(r, 600));
    expect(await readStoredContentVersion(db)).toBe(3);
  });

  it('an import that changes papers bumps the shared counter; one that changes nothing does not', async () => {
    db = await createTestDb(dialect);
    const summary = emptySummary();
    const paper = {
      ...emptyRecord('2501.00001'),
      title: 'A paper',
      abstract: 'Text.',
      authors: ['A. Author'],
      categories: ['cs.CL'],
      publishedAt: '2025-01-01T00:00:00Z',
    };
    await recordWrites(db, summary, (await upsertPapers(db, [paper])).status);
    expect(await readStoredContentVersion(db)).toBe(1);
    await recordWrites(db, summary, (await upsertPapers(db, [paper])).status);
    expect(await readStoredContentVersion(db)).toBe(1);
    expect(summary).toMatchObject({ inserted: 1, unchanged: 1 });
  });
});
