import { afterEach, describe, expect, it } from 'vitest';
import { emptySummary, recordWrites } from '../../src/ingest/import-runner.js';
import { emptyRecord } from '../../src/model/paper.js';
import { CONTENT_VERSION_POLL_MS } from '../../src/services/content-version.js';
import { readStoredContentVersion } from '../../src/store/content-version-store.js';
import { upsertPapers } from '../../src/store/paper-store.js';
import { testApp } from '../helpers/app.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

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
    await settle();
    expect(await readStoredContentVersion(db)).toBe(1);

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
    await settle();
    t += CONTENT_VERSION_POLL_MS;
    web.contentVersion.mark(t);
    await settle();
    expect(await readStoredContentVersion(db)).toBeGreaterThanOrEqual(1);
    expect(web.contentVersion.isFresh(page)).toBe(true); // only paper 2 changed, and we know it
    expect(web.contentVersion.changes.remote).toBe(0);
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
