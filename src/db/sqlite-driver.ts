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
import type { WriterTurns } from './writer-turns.js';

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
  /** Where this connection says it waits for the lock, so another process's bulk writer gives way. */
  turns?: WriterTurns | null;
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
 *    froze the whole web process, /healthz included, for up to 5 s. Here busy_timeout is 0 (see
 *    open.ts) and a statement refused as busy is tried again after an async pause that
 *    grows, with the connection released meanwhile, until `busyWaitMs` has passed; then
 *    DatabaseBusyError (a 503 with Retry-After in the web layer). Refused statements queue, one
 *    polls at a time, and the process tells other processes' bulk writers that it waits
 *    (writer-turns.ts), so an import gives way. Inside a transaction nothing is retried: the lock
 *    is already ours, and giving the connection away mid-transaction would mix other queries into it.
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
  private readonly turns: WriterTurns | null;

  constructor(
    private readonly db: SqliteDatabase.Database,
    options: LockingSqliteOptions,
  ) {
    this.turns = options.turns ?? null;
    this.connection = new LockingSqliteConnection(
      db,
      this.mutex,
      options.busyWaitMs,
      options.onBusyWait,
      options.turns ?? null,
    );
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
    this.turns?.close();
  }
}

class LockingSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  /**
   * Statements refused the lock line up here, and only the first polls: twenty votes polling
   * every few ms each would spend the event loop on refused attempts (~0.1 ms each) and ask in
   * no useful order. When the first gets the lock, the next tries at once.
   */
  private readonly waitQueue = new FifoMutex();

  constructor(
    private readonly db: SqliteDatabase.Database,
    private readonly mutex: FifoMutex,
    private readonly busyWaitMs: number,
    private readonly onBusyWait: (() => void) | undefined,
    private readonly turns: WriterTurns | null,
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
    try {
      return this.run<R>(query);
    } catch (err) {
      if (!isSqliteBusy(err)) throw err;
      if (this.db.inTransaction) {
        throw new DatabaseBusyError(`sqlite: busy inside a transaction at "${query.sql.slice(0, 60)}"`);
      }
    }
    // Refused: another process holds the lock. Say so (a bulk writer there gives way), and queue:
    // one statement of this process polls at a time, the others wait their turn behind it.
    const t0 = Date.now();
    this.turns?.startWaiting();
    this.mutex.unlock();
    try {
      await this.waitQueue.lock();
    } finally {
      await this.mutex.lock();
    }
    try {
      return await this.pollForLock<R>(query, t0);
    } finally {
      this.waitQueue.unlock();
      this.turns?.stopWaiting();
    }
  }

  /** Try `query` until the lock is free, pausing asynchronously with the connection released; at most busyWaitMs since t0. */
  private async pollForLock<R>(query: CompiledQuery, t0: number): Promise<QueryResult<R>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return this.run<R>(query);
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        this.turns?.keepWaiting();
      }
      const waited = Date.now() - t0;
      if (waited >= this.busyWaitMs) {
        throw new DatabaseBusyError(
          `sqlite: "${query.sql.slice(0, 60)}" waited ${waited} ms for another connection's lock`,
        );
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

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('sqlite: only SELECT statements can be streamed');
    // A fresh statement: a cached one could be asked to run again while this one iterates.
    const stmt = this.db.prepare(query.sql);
    for (const row of stmt.iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }
}
