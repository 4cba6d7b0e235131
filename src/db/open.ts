import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type LogEvent, sql } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config.js';
import type { Dialect } from './dialect.js';
import { OwnSchemaPostgresDialect } from './pg-introspector.js';
import type { Database } from './schema.js';
import { lockingSqliteDialect } from './sqlite-driver.js';
import { WriterTurns } from './writer-turns.js';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema this handle works in, when not the default search_path. */
  schema?: string;
  /** Who hears of each query and its time (the metrics); an object, so copies of the handle share it. */
  events: DbEvents;
  /**
   * SQLite in a file: where this process says it waits for the write lock, and where a bulk writer
   * (the import) learns that someone does and gives way (db/writer-turns.ts). Null on PostgreSQL,
   * whose row locks queue fairly, and for an in-memory database (one process).
   */
  writerTurns: WriterTurns | null;
  /** PostgreSQL: the pool's connections (all, idle, callers waiting for one); null on SQLite. */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface DbEvents {
  onQuery: ((e: LogEvent) => void) | null;
  /** SQLite: a statement paused for another connection's lock (sqlite-driver.ts). */
  onBusyWait: (() => void) | null;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/**
 * How long better-sqlite3 waits, synchronously, for another connection's lock before answering
 * busy: not at all. Synchronous means the whole process stands still (issue #15: 5 s froze
 * /healthz), and even 1 ms is SQLite sleeping 1.3 ms on the event loop for every refused attempt:
 * with a few dozen votes polling for the lock an import held, the web process spent half its time
 * asleep there (bench:mixed's profile, BENCHMARKS.md). All waiting is asynchronous
 * (SQLITE_BUSY_WAIT_MS, sqlite-driver.ts); a refused attempt then costs ~0.1 ms.
 */
const SQLITE_BUSY_TIMEOUT_MS = 0;
/**
 * How long a statement or a transaction's BEGIN IMMEDIATE waits in all, asynchronously, for a lock
 * another process holds, before DatabaseBusyError (a web request: 503 with Retry-After). Another
 * process's write transaction holds the lock for tens of milliseconds (an import batch, see
 * import-runner.ts), so two seconds is many of them; the import and the job worker wait longer,
 * batch by batch (db/busy.ts, retryWhileBusy).
 */
export const SQLITE_BUSY_WAIT_MS = 2000;
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
const SQLITE_IMPORT_CACHE_KIB = 256 * 1024;
/**
 * WAL pages before an import's commit copies them into the database file (SQLite's default is
 * 1,000, 4 MB: a checkpoint every batch or two, and index pages that every batch touches written
 * again each time). 64 MB of WAL between checkpoints writes each hot page once per many batches.
 */
const SQLITE_IMPORT_CHECKPOINT_PAGES = 16_384;
/**
 * WAL pages before any other connection's commit checkpoints: twice the import's, so while an
 * import runs it does its own checkpoints. With SQLite's default 1,000, every vote committed beside
 * an import found the WAL past the mark and copied the import's latest pages, with two fsyncs, on
 * the web process's event loop: 3–4 ms a commit instead of 0.1–0.2 ms (measured here). A site's
 * own writes repeat the same few pages, so its checkpoints stay small; the WAL file may reach
 * 128 MB on disk.
 */
const SQLITE_CHECKPOINT_PAGES = 2 * SQLITE_IMPORT_CHECKPOINT_PAGES;
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

interface OpenOptions {
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
  /** SQLite: total asynchronous wait for another connection's lock (default SQLITE_BUSY_WAIT_MS). */
  busyWaitMs?: number;
}

/** Where a SQLite error leaves a file unopened: a fix anyone can act on, with the path. */
class DatabaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFileError';
  }
}

/**
 * Refuse, at open, a SQLite database this process cannot write: the file itself, or its directory
 * (SQLite creates `-wal` and `-shm` files beside the database, and the database when it is new).
 * Without this, a read-only file opens fine and every write fails later as a 500.
 */
function assertSqliteWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new DatabaseFileError(
      `db: cannot create the directory ${dir} for the SQLite database ${file}: ${(err as Error).message}. Fix: create it, or point DATABASE_URL elsewhere.`,
    );
  }
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new DatabaseFileError(
      `db: the directory ${dir} holding the SQLite database ${file} is not writable (SQLite writes its -wal and -shm files there). Fix: make it writable by this user (uid ${process.getuid?.() ?? '?'}), or move the database.`,
    );
  }
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!fs.existsSync(f)) continue;
    try {
      fs.accessSync(f, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new DatabaseFileError(
        `db: the SQLite database file ${f} is not writable by this user (uid ${process.getuid?.() ?? '?'}). Fix: \`chmod u+w ${f}\` or run paperboy as the file's owner.`,
      );
    }
  }
}

export function openDb(target: DatabaseTarget, options: OpenOptions = {}): Db {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') assertSqliteWritable(target.file);
    let sqlite: SqliteDatabase.Database;
    try {
      sqlite = new SqliteDatabase(target.file);
      sqlite.pragma('journal_mode = WAL');
    } catch (err) {
      throw new DatabaseFileError(`db: cannot open the SQLite database ${target.file}: ${(err as Error).message}`);
    }
    sqlite.pragma('foreign_keys = ON');
    // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    sqlite.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
    sqlite.pragma(`wal_autocheckpoint = ${SQLITE_CHECKPOINT_PAGES}`);
    const events: DbEvents = { onQuery: null, onBusyWait: null };
    const turns = target.file === ':memory:' ? null : new WriterTurns(`${target.file}-writer-waiting`);
    const kysely = new Kysely<Database>({
      dialect: lockingSqliteDialect(sqlite, {
        busyWaitMs: options.busyWaitMs ?? SQLITE_BUSY_WAIT_MS,
        onBusyWait: () => events.onBusyWait?.(),
        turns,
      }),
      log: (e) => events.onQuery?.(e),
    });
    return {
      kysely,
      dialect: 'sqlite',
      events,
      writerTurns: turns,
      poolStats: () => null,
      close: () => kysely.destroy(),
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: PG_POOL_SIZE,
    options: options.schema ? `-c search_path=${options.schema}` : undefined,
  });
  const events: DbEvents = { onQuery: null, onBusyWait: null };
  const kysely = new Kysely<Database>({
    dialect: new OwnSchemaPostgresDialect({ pool }),
    log: (e) => events.onQuery?.(e),
  });
  return {
    kysely,
    dialect: 'postgres',
    schema: options.schema,
    events,
    writerTurns: null,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => kysely.destroy(),
  };
}
