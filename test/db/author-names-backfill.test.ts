import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../src/db/migrate.js';
import { nameSkeleton } from '../../src/model/author-names.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/**
 * Migration 0053 fills author_names from the paper_authors a site already has, a page of 5,000
 * distinct names at a time. A database stopped at 0052 with papers and authors, migrated to the
 * latest, must hold each distinct spelling once with the skeleton the live code computes
 * (model/author-names.ts): the look-up reads this table, so a row missing or mis-keyed is an
 * author whose page silently loses papers.
 */
const BEFORE = '0052-digest-for-you';
/** More distinct names than the migration's page (5,000), so the paging is crossed. */
const GENERATED_NAMES = 5_003;
const SPECIAL = ['Jörg Müller', 'Jorg Muller', 'Jörg Mueller', 'Zoë  Ng', 'Łukasz Kaiser', 'A. N. Other', 'Plato'];

describe.each(TEST_DIALECTS)('migration 0053 backfill on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect, { migrate: false });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('has one row per distinct author spelling, keyed by the live skeleton', async () => {
    await migrateTo(db, BEFORE);
    // The database is at 0052, not at the schema the types describe.
    const k = db.kysely as unknown as Kysely<any>;
    const at = '2026-06-01T00:00:00.000Z';
    const generated = Array.from({ length: GENERATED_NAMES }, (_, i) => `Author ${String(i).padStart(5, '0')}`);
    // Papers at 0052's schema, written as rows (the stores know only the latest schema).
    const paperCount = 3;
    const ids: number[] = [];
    for (let p = 0; p < paperCount; p++) {
      const row = await k
        .insertInto('papers')
        .values({
          arxiv_id: `2606.0000${p}`,
          title: `Paper ${p}`,
          abstract: 'An abstract.',
          authors: '[]',
          author_count: 0,
          categories: '["cs.CL"]',
          content_hash: `h${p}`,
          first_seen_at: at,
          modified_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(Number(row.id));
    }
    // Paper 0 holds the generated names; papers 1 and 2 repeat the special ones (a name on two
    // papers is one row) and one generated name.
    const authors = [
      ...generated.map((name, i) => ({ paper_id: ids[0], position: i, name })),
      ...SPECIAL.map((name, i) => ({ paper_id: ids[1], position: i, name })),
      ...[...SPECIAL, generated[17]].map((name, i) => ({ paper_id: ids[2], position: i, name })),
    ];
    for (let i = 0; i < authors.length; i += 500)
      await k
        .insertInto('paper_authors')
        .values(authors.slice(i, i + 500))
        .execute();

    const { applied } = await migrateToLatest(db);
    expect(applied).toContain('0053-author-names');

    const rows = (await k.selectFrom('author_names').select(['name', 'skeleton']).orderBy('name').execute()) as Array<{
      name: string;
      skeleton: string;
    }>;
    const expected = [...new Set([...generated, ...SPECIAL])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(rows.map((r) => r.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(expected);
    expect(rows).toHaveLength(GENERATED_NAMES + SPECIAL.length);
    for (const r of rows) expect(r.skeleton, r.name).toBe(nameSkeleton(r.name));
    // The surname look-up's prefilter: every spelling of Müller shares one skeleton, Mueller not.
    const mueller = rows.filter((r) => r.skeleton === nameSkeleton('Müller')).map((r) => r.name);
    expect(mueller.sort()).toEqual(['Jorg Muller', 'Jörg Müller']);
    expect(rows.find((r) => r.name === 'Author 05002')?.skeleton).toBe('05002');
  });
});
