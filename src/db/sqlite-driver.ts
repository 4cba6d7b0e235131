import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type TransactionSettings,
} from 'kysely';
import { busyBackoffMs, DatabaseBusyError, isSqliteBusy, sleep } from './busy.js';

/**
 * Prepared statements kept per connection, by SQL text. Kysely's own SQLite driver prepares every
 * statement on every call (tens of microseconds each, several per request); the same few hundred
 * statements serve the whole site. Batch upserts with a different number of rows are distinct
 * texts, so the oldest are dropped past this many.
 */
const STATEMENT_CACHE_SIZE = 500;

interface LockingSqliteOptions {
  /**
   * How long one statement (or a transaction's BEGIN IMMEDIATE) may wait, in total, for another
   * connection's write lock before failing with DatabaseBusyError. The wait is asynchronous: the
   * event loop and this process's other queries go on meanwhile.
   */
  busyWaitMs: number;
  /** Told of each asynchronous pause for another connection's lock (the metrics count them). */
  onBusyWait?: () => void;
}

/**
 * Kysely's SQLite dialect with three changes that make a SQLite site share its database with other
 * processes (`paperboy import`, a worker, a second server):
 *
 * 1. Every read-write transaction starts with `BEGIN IMMEDIATE`: it takes the write lock before it
 *    reads anything. A plain (deferred) `BEGIN` reads first and upgrades at its first write; if
 *    another process committed in between, SQLite answers SQLITE_BUSY_SNAPSHOT at once, and no
 *    busy timeout helps (the "database is locked" of issue #15).
 * 2. Waiting for the lock is asynchronous. better-sqlite3 waits synchronously (busy_timeout), which
 *    froze the whole web process, /healthz included, for up to 5 s. Here busy_timeout is short (see
 *    open.ts) and a statement refused as busy is tried again after an async pause that grows, with
 *    the connection released meanwhile, until `busyWaitMs` has passed; then DatabaseBusyError
 *    (a 503 with Retry-After in the web layer). Inside a transaction nothing is retried: the lock is
 *    already ours, and giving the connection away mid-transaction would mix other queries into it.
 * 3. Prepared statements are reused (STATEMENT_CACHE_SIZE).
 *
 * Hazard: a read-only transaction (`setAccessMode('read only')`) keeps a plain `BEGIN`.
 */
export function lockingSqliteDialect(database: SqliteDatabase.Database, options: LockingSqliteOptions): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new LockingSqliteDriver(database, options),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
    // biome-ignore lint/suspicious/noExplicitAny: Kysely's introspector takes any schema
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => new SqliteIntrospector(db),
  };
}

/** First come, first served: one holder of the single connection at a time. */
class FifoMutex {
  private held = false;
  private waiters: Array<() => void> = [];

  lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.held = false;
  }
}

class LockingSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly connection: LockingSqliteConnection;

  constructor(
    private readonly db: SqliteDatabase.Database,
    options: LockingSqliteOptions,
  ) {
    this.connection = new LockingSqliteConnection(db, this.mutex, options.busyWaitMs, options.onBusyWait);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}

class LockingSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  constructor(
    private readonly db: SqliteDatabase.Database,
    private readonly mutex: FifoMutex,
    private readonly busyWaitMs: number,
    private readonly onBusyWait?: () => void,
  ) {}

  private prepare(text: string): SqliteDatabase.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      if (this.statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.statements.keys().next().value;
        if (oldest !== undefined) this.statements.delete(oldest);
      }
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  private run<R>(query: CompiledQuery): QueryResult<R> {
    const stmt = this.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const t0 = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return this.run<R>(query);
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        const waited = Date.now() - t0;
        const what = query.sql.slice(0, 60);
        if (this.db.inTransaction) throw new DatabaseBusyError(`sqlite: busy inside a transaction at "${what}"`);
        if (waited >= this.busyWaitMs) {
          throw new DatabaseBusyError(`sqlite: "${what}" waited ${waited} ms for another connection's lock`);
        }
        this.onBusyWait?.();
        // Give the connection to this process's other queries while we wait (we hold no lock).
        this.mutex.unlock();
        try {
          await sleep(busyBackoffMs(attempt));
        } finally {
          await this.mutex.lock();
        }
      }
    }
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('sqlite: only SELECT statements can be streamed');
    // A fresh statement: a cached one could be asked to run again while this one iterates.
    const stmt = this.db.prepare(query.sql);
    for (const row of stmt.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}
