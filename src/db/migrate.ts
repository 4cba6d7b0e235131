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
  return new Migrator({ db: db.kysely, migrationTableSchema, provider: { getMigrations: () => loadMigrations(db.dialect) } });
}

export interface MigrateResult {
  applied: string[];
}

/**
 * Attempts of the migrator's own setup. Hazard: before running any migration Kysely introspects the
 * tables of every schema in the database; when another schema is dropped meanwhile (another test,
 * another site on the same server) that catalog query fails with "relation/schema … does not exist".
 * The setup is idempotent and no migration has run yet, so it is simply tried again.
 */
const MIGRATOR_SETUP_ATTEMPTS = 4;
const MIGRATOR_RETRY_DELAY_MS = 100;

export async function migrateToLatest(db: Db): Promise<MigrateResult> {
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await (await migrator(db)).migrateToLatest();
    if (!error) return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const message = (error as Error).message ?? String(error);
    if (!failed && /does not exist/.test(message) && attempt < MIGRATOR_SETUP_ATTEMPTS) {
      await new Promise((r) => setTimeout(r, MIGRATOR_RETRY_DELAY_MS * attempt));
      continue;
    }
    throw new Error(`db: migration ${failed ?? 'setup'} failed: ${message}`);
  }
}

/** Names of migrations not yet applied; the server refuses to start while any are pending. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await migrator(db)).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
