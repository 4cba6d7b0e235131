import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Db } from './open.js';

/**
 * Migrations are the files in ./migrations named NNNN-what.ts, applied in name order. Append-only:
 * never edit or reorder one that has shipped; add a new file that says why. Each receives the
 * dialect, so the rare differences between SQLite and PostgreSQL sit side by side in one file.
 */
type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_FILE = /^(\d{4}-[a-z0-9-]+)\.(?:js|ts)$/;

async function loadMigrations(dialect: Dialect): Promise<Record<string, Migration>> {
  const out: Record<string, Migration> = {};
  for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (!m || file.endsWith('.d.ts')) continue;
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as DialectMigration;
    out[m[1]] = { up: (k) => mod.up(k, dialect) };
  }
  return out;
}

async function migrator(db: Db): Promise<Migrator> {
  // On PostgreSQL Kysely's migrator holds an advisory lock, so several processes may migrate at once.
  // Hazard: without a schema, Kysely looks for its own tables in every schema of the database, so a
  // database shared by several schemas (tests, several sites) sees another schema's migration tables
  // and never creates its own. Name the current schema explicitly.
  let migrationTableSchema: string | undefined;
  if (db.dialect === 'postgres') {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely);
    migrationTableSchema = r.rows[0]?.s;
  }
  return new Migrator({
    db: db.kysely,
    migrationTableSchema,
    // One sequence: a pending migration must sort after every applied one. Kysely's own check
    // (allowUnorderedMigrations: false) compares by *when* each migration ran, and the shipped names
    // 0001…0041 were numbered in per-area ranges, so a site that ran 0010 or 0011 after 0020–0040
    // has them out of time order though the names are in order. `assertOneSequence` checks the rule
    // by name instead, so those sites keep working and a misnumbered new migration is refused.
    allowUnorderedMigrations: true,
    provider: { getMigrations: () => loadMigrations(db.dialect) },
  });
}

/**
 * Refuses a pending migration whose name sorts before an applied one: it would run after
 * migrations that were written without it. Renumber it past the last applied name instead.
 *
 * @example assertOneSequence(['0001-a', '0002-b', '0003-c'], ['0001-a', '0002-b']) // fine: 0003 is next
 */
export function assertOneSequence(allNames: readonly string[], appliedNames: readonly string[]): void {
  const applied = new Set(appliedNames);
  const lastApplied = [...applied].sort().at(-1);
  if (lastApplied === undefined) return;
  const misplaced = [...allNames].sort().find((name) => !applied.has(name) && name < lastApplied);
  if (misplaced) {
    throw new Error(
      `db: migration ${misplaced} sorts before the applied ${lastApplied}; migrations are one sequence: ` +
        'give it the next free number',
    );
  }
}

async function checkedMigrator(db: Db): Promise<Migrator> {
  const m = await migrator(db);
  const all = await m.getMigrations();
  assertOneSequence(
    all.map((x) => x.name),
    all.filter((x) => x.executedAt !== undefined).map((x) => x.name),
  );
  return m;
}

interface MigrateResult {
  applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrateResult> {
  const { error, results } = await (await checkedMigrator(db)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${(error as Error).message ?? error}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * Applies the pending migrations up to and including `name`, no further: a database as a site that
 * stopped at `name` holds it (tests of a later migration's backfill start from there).
 *
 * @example await migrateTo(db, '0052-digest-for-you'); // then fill it, then migrateToLatest(db)
 */
export async function migrateTo(db: Db, name: string): Promise<MigrateResult> {
  const { error, results } = await (await checkedMigrator(db)).migrateTo(name);
  if (error) throw new Error(`db: migrating to ${name} failed: ${(error as Error).message ?? error}`);
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of migrations not yet applied; the server refuses to start while any are pending. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await checkedMigrator(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
