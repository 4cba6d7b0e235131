import { type Kysely, type Migration, Migrator } from 'kysely';
import type { Dialect } from './dialect.js';
import * as m0001 from './migrations/0001-papers.js';
import type { Db } from './open.js';

/**
 * Append-only list of migrations. Never edit or reorder one that has shipped: add a new file.
 * Each receives the dialect so the rare differences sit side by side in one file.
 */
type DialectMigration = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };
const MIGRATIONS: Array<[string, DialectMigration]> = [['0001-papers', m0001]];

function migrator(db: Db): Migrator {
  const migrations: Record<string, Migration> = {};
  for (const [name, m] of MIGRATIONS) migrations[name] = { up: (k) => m.up(k, db.dialect) };
  // On PostgreSQL Kysely's migrator holds an advisory lock, so several processes may migrate at once.
  return new Migrator({ db: db.kysely, provider: { getMigrations: async () => migrations } });
}

export interface MigrateResult {
  applied: string[];
}

export async function migrateToLatest(db: Db): Promise<MigrateResult> {
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`db: migration ${failed} failed: ${(error as Error).message ?? error}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/** Names of migrations not yet applied; the server refuses to start while any are pending. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await migrator(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
