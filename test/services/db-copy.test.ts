import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.js';
import { arxivListingsSource } from '../../src/ingest/arxiv-listings/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { emptyRecord } from '../../src/model/paper.js';
import { copyDatabase } from '../../src/services/db-copy.js';
import { countRows, describeTables, readPage } from '../../src/store/copy-store.js';
import { findPaperByArxivId, upsertPapers } from '../../src/store/paper-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { demoListingDays } from '../helpers/listing-days.js';

// Three real listing days from the demo set in the repository (CC0 arXiv metadata).
const FILES = demoListingDays(3);

/** Every row of every table, in primary-key order, through the same generic reader the copy uses. */
async function dump(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of await describeTables(db)) {
    const cols = [...t.columns].sort();
    out[t.name] = (await readPage(db, t, cols, null, 1_000_000)).rows;
  }
  return out;
}

describe.each(TEST_DIALECTS)('db copy from %s', (dialect) => {
  const other = TEST_DIALECTS.find((d) => d !== dialect) ?? dialect;
  let src: TestDb;
  let mid: TestDb;
  let back: TestDb;
  beforeEach(async () => {
    src = await createTestDb(dialect);
    mid = await createTestDb(other, { migrate: false });
    back = await createTestDb(dialect, { migrate: false });
  });
  afterEach(async () => {
    await Promise.all([src.drop(), mid.drop(), back.drop()]);
  });

  it(`copies every table to ${other} and back with identical rows, keeps ids and resets sequences`, async () => {
    const imported = await runImport(src, arxivListingsSource, FILES);
    expect(imported.inserted).toBeGreaterThan(500);
    await upsertPapers(src, [
      {
        ...emptyRecord('2501.00001'),
        title: 'With an organisation',
        organizationName: 'apple',
        authors: ['Ada'],
        categories: ['cs.LG'],
      },
    ]);
    await enqueueJob(src, 'prune-jobs', { keepDays: 3 }, { dedupeKey: 'copy-test' });

    const there = await copyDatabase(src, mid);
    const names = there.tables.map((t) => t.table);
    // Parents before children: foreign keys hold while copying.
    expect(names.indexOf('organizations')).toBeLessThan(names.indexOf('papers'));
    expect(names.indexOf('papers')).toBeLessThan(names.indexOf('paper_authors'));
    expect(names.indexOf('papers')).toBeLessThan(names.indexOf('listing_entries'));
    expect(names).toContain('jobs');
    for (const t of there.tables) expect(t.target, t.table).toBe(t.source);
    expect(there.tables.find((t) => t.table === 'papers')!.source).toBe(imported.inserted + 1);
    expect(there.tables.find((t) => t.table === 'paper_authors')!.source).toBeGreaterThan(1000);

    // Spot check: one paper, field by field, and its id.
    const a = await findPaperByArxivId(src, '2501.00001');
    const b = await findPaperByArxivId(mid, '2501.00001');
    expect(b).toEqual(a);

    const home = await copyDatabase(mid, back);
    expect(home.tables.map((t) => [t.table, t.target])).toEqual(there.tables.map((t) => [t.table, t.source]));
    expect(await dump(back)).toEqual(await dump(src));

    // Sequences moved past the copied ids: a new paper gets a fresh id on every side.
    const maxId = Math.max(
      ...(
        await readPage(mid, (await describeTables(mid)).find((t) => t.name === 'papers')!, ['id'], null, 1_000_000)
      ).rows.map((r) => Number(r.id)),
    );
    const added = await upsertPapers(mid, [
      { ...emptyRecord('2501.99999'), title: 'After the copy', categories: ['cs.CL'] },
    ]);
    expect(added.status).toEqual(['inserted']);
    expect(added.ids[0]).toBeGreaterThan(maxId);
  });

  it('refuses a non-empty target unless forced, then replaces its rows', async () => {
    await runImport(src, arxivListingsSource, FILES.slice(0, 1));
    await copyDatabase(src, mid);
    await upsertPapers(mid, [{ ...emptyRecord('2501.88888'), title: 'Only in the target', categories: ['cs.CL'] }]);
    await expect(copyDatabase(src, mid)).rejects.toThrow(/target is not empty: .*papers \(\d+\).*--force/);
    const forced = await copyDatabase(src, mid, { force: true });
    for (const t of forced.tables) expect(t.target, t.table).toBe(t.source);
    expect(await findPaperByArxivId(mid, '2501.88888')).toBeUndefined();
    expect(await countRows(mid, 'papers')).toBe(await countRows(src, 'papers'));
  });
});
