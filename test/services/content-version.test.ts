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

  it('a write in one app is seen by another app on the same database after one poll', async () => {
    db = await createTestDb(dialect);
    // Two Apps stand for two processes: each has its own in-process version.
    const web1 = testApp(db);
    const web2 = testApp(db);
    let t = Date.now();
    web2.contentVersion.current(t);
    await settle(); // first poll: learns the shared counter, no change yet
    const before = web2.contentVersion.current(t);
    expect(before).toBe(0);

    const mine = web1.contentVersion.bump();
    expect(mine).toBe(web1.contentVersion.current(t)); // the writer's own pages are stale at once
    await settle();
    expect(await readStoredContentVersion(db)).toBe(1);

    expect(web2.contentVersion.current(t)).toBe(before); // not polled again within the interval
    t += CONTENT_VERSION_POLL_MS;
    web2.contentVersion.current(t);
    await settle();
    expect(web2.contentVersion.current(t)).toBe(before + 1);
    // Nothing new: the next poll leaves the version alone.
    t += CONTENT_VERSION_POLL_MS;
    web2.contentVersion.current(t);
    await settle();
    expect(web2.contentVersion.current(t)).toBe(before + 1);
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
