import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { arxivListingsSource } from '../../src/ingest/arxiv-listings/source.js';
import { runImport } from '../../src/ingest/import-runner.js';
import { countRows } from '../../src/store/copy-store.js';
import { spawnCli } from '../helpers/cli.js';
import { createTestDb, TEST_DIALECTS, TEST_PG_URL, type TestDb } from '../helpers/db.js';
import { demoListingDays } from '../helpers/listing-days.js';

// One real listing day from the demo set in the repository.
const [FILE] = demoListingDays(1);

// `paperboy db copy --from sqlite:FILE --to postgres://…` as a user runs it (to SQLite when a
// local run narrows the test databases to SQLite).
const TARGET = TEST_DIALECTS.includes('postgres') ? 'postgres' : 'sqlite';

describe(`paperboy db copy from sqlite to ${TARGET}`, () => {
  let src: TestDb;
  let dst: TestDb;
  beforeEach(async () => {
    src = await createTestDb('sqlite');
    dst = await createTestDb(TARGET, { migrate: false });
  });
  afterEach(async () => {
    await Promise.all([src.drop(), dst.drop()]);
  });

  it('copies, prints counts on both sides, and refuses to copy twice', async () => {
    const imported = await runImport(src, arxivListingsSource, [FILE]);
    const file = src.target.kind === 'sqlite' ? src.target.file : '';
    expect(fs.existsSync(file)).toBe(true);
    const env: Record<string, string> = dst.env.PGOPTIONS ? { PGOPTIONS: dst.env.PGOPTIONS } : {};
    const to = dst.target.kind === 'postgres' ? TEST_PG_URL : `sqlite:${dst.target.file}`;
    const run = spawnCli(['db', 'copy', '--from', `sqlite:${file}`, '--to', to, '--json'], env);
    expect(await run.done, run.err()).toBe(0);
    const report = JSON.parse(run.out());
    const papers = report.tables.find((t: { table: string }) => t.table === 'papers');
    expect(papers).toEqual({ table: 'papers', source: imported.inserted, target: imported.inserted });
    expect(await countRows(dst, 'listing_entries')).toBe(await countRows(src, 'listing_entries'));

    const again = spawnCli(['db', 'copy', '--from', `sqlite:${file}`, '--to', to], env);
    expect(await again.done).toBe(1);
    expect(again.err()).toMatch(/target is not empty: .*papers \(\d+\).*--force/);

    const missing = spawnCli(['db', 'copy', '--from', `sqlite:${file}.nope`, '--to', to], env);
    expect(await missing.done).toBe(2);
    expect(missing.err()).toMatch(/source database .*\.nope does not exist/);
    // Three CLI processes from source (tsx): a few seconds each on an idle machine, more on a busy one.
  }, 180_000);
});
