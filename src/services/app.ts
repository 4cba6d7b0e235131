import type { Config } from '../config/config.js';
import { loadConfig } from '../config/config.js';
import { migrateToLatest, pendingMigrations } from '../db/migrate.js';
import { type Db, openDb } from '../db/open.js';

export interface App {
  config: Readonly<Config>;
  db: Db;
  close(): Promise<void>;
}

/** Open the configured database; with `migrate`, bring the schema up to date first. */
export async function openApp(opts: { migrate?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<App> {
  const config = loadConfig(opts.env);
  const db = openDb(config.database);
  if (opts.migrate) await migrateToLatest(db);
  return { config, db, close: () => db.close() };
}

/** The server refuses to run on a stale schema: old code on a new schema, or the reverse, corrupts data. */
export async function assertSchemaCurrent(db: Db): Promise<void> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new Error(
      `db: ${pending.length} migration(s) pending (${pending.join(', ')}). Fix: run \`paperboy migrate\`.`,
    );
  }
}
