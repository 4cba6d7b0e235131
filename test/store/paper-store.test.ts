import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyRecord, type PaperRecord } from '../../src/model/paper.js';
import { upsertListingEntries } from '../../src/store/daily-store.js';
import { findPaperByArxivId, upsertPapers } from '../../src/store/paper-store.js';
import { siteStats } from '../../src/store/stats-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

function rec(id: string, over: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyRecord(id),
    title: `Title ${id}`,
    abstract: `Abstract of ${id}`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    categories: ['cs.CL', 'cs.AI'],
    ...over,
  };
}

describe.each(TEST_DIALECTS)('paper store on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.drop();
  });

  it('inserts, then reports the same records unchanged', async () => {
    const first = await upsertPapers(db, [rec('2501.00001'), rec('2501.00002')]);
    expect(first.status).toEqual(['inserted', 'inserted']);
    const again = await upsertPapers(db, [rec('2501.00001'), rec('2501.00002')]);
    expect(again.status).toEqual(['unchanged', 'unchanged']);
    expect(again.ids).toEqual(first.ids);
    const p = await findPaperByArxivId(db, '2501.00001');
    expect(p?.title).toBe('Title 2501.00001');
    expect(JSON.parse(p!.authors)).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(p?.primary_category).toBe('cs.CL');
    const authors = await db.kysely
      .selectFrom('paper_authors')
      .selectAll()
      .where('paper_id', '=', first.ids[0])
      .orderBy('position')
      .execute();
    expect(authors.map((a) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('updates on a newer version and ignores an older one', async () => {
    await upsertPapers(db, [rec('2501.00001', { version: 1 })]);
    const v2 = await upsertPapers(db, [
      rec('2501.00001', { version: 2, title: 'New title', authors: ['Grace Hopper'] }),
    ]);
    expect(v2.status).toEqual(['updated']);
    const old = await upsertPapers(db, [rec('2501.00001', { version: 1 })]);
    expect(old.status).toEqual(['unchanged']);
    const p = await findPaperByArxivId(db, '2501.00001');
    expect(p?.title).toBe('New title');
    expect(p?.version).toBe(2);
    expect(p?.author_count).toBe(1);
    const authors = await db.kysely.selectFrom('paper_authors').select('name').where('paper_id', '=', p!.id).execute();
    expect(authors.map((a) => a.name)).toEqual(['Grace Hopper']);
  });

  it('keeps one paper across several records in one batch, and links organisations', async () => {
    const r = await upsertPapers(db, [
      rec('2501.00003'),
      rec('2501.00003', { organizationName: 'apple', githubRepo: 'https://github.com/a/b' }),
    ]);
    expect(r.status).toEqual(['inserted', 'updated']);
    expect(r.ids[0]).toBe(r.ids[1]);
    const stats = await siteStats(db);
    expect(stats.papers).toBe(1);
    expect(stats.organizations).toBe(1);
  });

  it('marks the first listing day of a paper whatever the import order', async () => {
    const { ids } = await upsertPapers(db, [rec('2501.00004')]);
    await upsertListingEntries(db, [{ paperId: ids[0], day: '2025-01-10', primaryCategory: 'cs.CL' }]);
    await upsertListingEntries(db, [{ paperId: ids[0], day: '2025-01-08', primaryCategory: 'cs.CL' }]);
    expect(await upsertListingEntries(db, [{ paperId: ids[0], day: '2025-01-08', primaryCategory: 'cs.CL' }])).toBe(0);
    const rows = await db.kysely.selectFrom('listing_entries').selectAll().orderBy('day').execute();
    expect(rows.map((x) => [x.day, x.first_appearance])).toEqual([
      ['2025-01-08', 1],
      ['2025-01-10', 0],
    ]);
  });
});
