import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config.js';
import type { Dialect } from './dialect.js';
import type { Database } from './schema.js';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema this handle works in, when not the default search_path. */
  schema?: string;
  close(): Promise<void>;
}

/** How long a SQLite writer waits for another process's write lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/**
 * SQLite page cache per connection, in KiB (negative cache_size means KiB). The default 2 MiB
 * makes large imports re-read and spill index pages (papers.arxiv_id, paper_authors.name) on
 * every batch; 64 MiB holds the working set of a 75k-paper import (see BENCHMARKS.md, import).
 */
const SQLITE_CACHE_KIB = 64 * 1024;
/**
 * The page cache `paperboy import` asks for: at a million papers the indexes that take random
 * inserts (paper_authors.name, papers.arxiv_id, papers.published_at: ~170 MB) outgrow 64 MiB, and
 * every batch would read them back from disk (see BENCHMARKS.md, import). Only the CLI import, a
 * short-lived process, asks: a web process keeps the smaller cache.
 */
export const SQLITE_IMPORT_CACHE_KIB = 256 * 1024;
/**
 * WAL pages before an import's commit copies them into the database file (SQLite's default is
 * 1,000, 4 MB: a checkpoint every batch or two, and index pages that every batch touches written
 * again each time). 64 MB of WAL between checkpoints writes each hot page once per many batches.
 */
export const SQLITE_IMPORT_CHECKPOINT_PAGES = 16_384;
/** Connections per process to PostgreSQL; web and worker processes each hold their own pool. */
const PG_POOL_SIZE = 10;
const PG_INT8_OID = 20;

// COUNT(*) and BIGSERIAL come back as int8, which pg returns as strings by default.
// Our counts stay far below 2^53, so plain numbers are safe and simpler for every caller.
pg.types.setTypeParser(PG_INT8_OID, (v) => Number(v));

/** Give a SQLite connection the bulk-import page cache and checkpoint interval (PostgreSQL: nothing to do). */
export async function useImportSettings(db: Db): Promise<void> {
  if (db.dialect !== 'sqlite') return;
  await sql.raw(`pragma cache_size = -${SQLITE_IMPORT_CACHE_KIB}`).execute(db.kysely);
  await sql.raw(`pragma wal_autocheckpoint = ${SQLITE_IMPORT_CHECKPOINT_PAGES}`).execute(db.kysely);
}

export interface OpenOptions {
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
}

export function openDb(target: DatabaseTarget, options: OpenOptions = {}): Db {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
    const sqlite = new SqliteDatabase(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: PG_POOL_SIZE,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', schema: options.schema, close: () => kysely.destroy() };
}
