import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertOneSequence, migrateToLatest, pendingMigrations } from '../../src/db/migrate.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';

/** The shipped migrations, by the rule the migrator uses: NNNN-what.ts, in name order. */
const SHIPPED = fs
  .readdirSync(path.join(import.meta.dirname, '../../src/db/migrations'))
  .filter((f) => /^\d{4}-[a-z0-9-]+\.ts$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

/** The order a site that followed main while areas numbered in their own ranges applied them in. */
const HISTORICAL_ORDER = [
  '0001-papers',
  '0030-digests',
  '0040-search',
  '0002-hf-daily',
  '0020-community',
  '0010-jobs',
  '0011-content-version',
  '0041-pg-fulltext',
];

describe('assertOneSequence', () => {
  it('accepts a prefix of the names and refuses a pending name before an applied one', () => {
    expect(() => assertOneSequence(['0001-a', '0002-b', '0003-c'], [])).not.toThrow();
    expect(() => assertOneSequence(['0001-a', '0002-b', '0003-c'], ['0002-b', '0001-a'])).not.toThrow();
    expect(() => assertOneSequence(['0001-a', '0002-b', '0003-c'], ['0001-a', '0003-c'])).toThrow(
      'db: migration 0002-b sorts before the applied 0003-c',
    );
  });
});

describe.each(TEST_DIALECTS)('migrations on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect, { migrate: false });
  });
  afterEach(async () => {
    await db.drop();
  });

  async function appliedByTime(): Promise<string[]> {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by timestamp, name`.execute(
      db.kysely,
    );
    return rows.rows.map((r) => r.name);
  }

  it('applies the migrations in name order, and nothing the second time', async () => {
    expect(SHIPPED.slice(0, 8)).toEqual([...HISTORICAL_ORDER].sort());
    const first = await migrateToLatest(db);
    expect(first.applied).toEqual(SHIPPED);
    expect(await appliedByTime()).toEqual(SHIPPED);
    expect(await migrateToLatest(db)).toEqual({ applied: [] });
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('keeps a site that applied the old per-area ranges out of time order working', async () => {
    await migrateToLatest(db);
    // Rewrite the record to what such a site holds: the same names, run in HISTORICAL_ORDER.
    for (const [i, name] of HISTORICAL_ORDER.entries()) {
      const at = new Date(Date.UTC(2026, 10, 26, 12, i)).toISOString();
      await sql`update kysely_migration set timestamp = ${at} where name = ${name}`.execute(db.kysely);
    }
    expect((await appliedByTime()).slice(0, 8)).toEqual(HISTORICAL_ORDER);
    // Kysely's own strict check orders by time, so it would refuse this database …
    const strict = new Migrator({
      db: db.kysely,
      migrationTableSchema: db.schema,
      allowUnorderedMigrations: false,
      provider: { getMigrations: async () => Object.fromEntries(SHIPPED.map((n) => [n, { up: async () => {} }])) },
    });
    const refused = await strict.migrateToLatest();
    expect((refused.error as Error).message).toMatch(
      /corrupted migrations: expected previously executed migration 0030-digests/,
    );
    // … ours checks names, so it migrates (nothing to do) and the server may start.
    expect(await migrateToLatest(db)).toEqual({ applied: [] });
    expect(await pendingMigrations(db)).toEqual([]);
  });

  it('refuses a pending migration numbered before an applied one, naming both', async () => {
    await migrateToLatest(db);
    // As if 0011 were new: written after 0041 had run, but numbered before it.
    await sql`delete from kysely_migration where name = '0011-content-version'`.execute(db.kysely);
    const last = SHIPPED.at(-1);
    await expect(migrateToLatest(db)).rejects.toThrow(
      `db: migration 0011-content-version sorts before the applied ${last}`,
    );
    await expect(pendingMigrations(db)).rejects.toThrow('0011-content-version');
  });
});
