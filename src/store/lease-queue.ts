import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import type { Db } from '../db/open.js';
import type { Database } from '../db/schema.js';
import { storeError } from './store-errors.js';

/**
 * One implementation of the lease under all background work that claims rows, holds them while
 * working and retries them: the job queue (`jobs`, store/job-store.ts) and the digest outbox
 * (`digest_outbox`, store/digest-store.ts). Each keeps its own table, states and extra columns; the
 * spec names them. A row is *ready* (claimable once `dueAt` has come), *leased* to one owner until
 * `until`, and then settled by its owner: completed, failed (retried later or given up) or released.
 * Every settling statement checks that the caller still holds the lease, so a worker whose lease
 * expired and was taken over cannot overwrite the new owner's work: it gets `false` instead.
 *
 * Claiming is safe with any number of workers and processes:
 * - PostgreSQL: `FOR UPDATE SKIP LOCKED` in the subquery, so concurrent claimers skip each other's
 *   rows instead of waiting or taking the same one;
 * - SQLite: one `UPDATE … WHERE id IN (SELECT …) RETURNING` statement. In autocommit mode a write
 *   statement is its own IMMEDIATE transaction: SQLite takes the database's single write lock
 *   before the statement reads anything, so two processes cannot pick the same row. Hazard
 *   avoided: an explicit `BEGIN IMMEDIATE … COMMIT` spans several awaits, and better-sqlite3 waits
 *   for a lock synchronously, so a second connection in the same process could block the event
 *   loop while the first waits to commit (a deadlock until busy_timeout).
 *
 * @example
 * const outbox = leaseQueue({ table: 'digest_outbox', state: 'status', ready: ['pending'], leased: 'sending', … });
 * const rows = await outbox.claim(db, { owner, now, leaseUntil, limit: 50 });
 * await outbox.complete(db, rows[0].id, owner, { status: 'sent' });
 */
export interface LeaseQueueSpec<T extends LeaseTable, S extends Column<T>> {
  table: T;
  /** The column holding the row's state. */
  state: S;
  /** States a row may be claimed from once `dueAt` has come; the first is where a released row goes. */
  ready: readonly [State<T, S>, ...State<T, S>[]];
  /** The state of a leased row. */
  leased: State<T, S>;
  /** A failed row that will be tried again goes to this state, due at its retry time. */
  retryState: State<T, S>;
  /** A failed row that will not be tried again goes to this state. */
  deadState: State<T, S>;
  /** Not before this time (ISO text). */
  dueAt: Column<T>;
  /** Who holds the lease. */
  owner: Column<T>;
  /** Lease end (ISO text): past it, the row is another worker's to take. */
  until: Column<T>;
  /**
   * True: `claim` also takes leased rows whose lease ran out. False: they wait for `expire`, a
   * sweep that can decide per row (the job queue dead-letters a job out of attempts there).
   */
  claimExpired: boolean;
  /** Claim order, the primary key last so that it is total. */
  order: readonly [...Column<T>[], 'id'];
}

/** Tables with a numeric `id`, which a lease queue can run on. */
type LeaseTable = { [K in keyof Database]: Database[K] extends { id: unknown } ? K : never }[keyof Database];
type Column<T extends LeaseTable> = keyof Database[T] & string;
type State<T extends LeaseTable, S extends Column<T>> = Database[T][S] & string;
// Kysely cannot type a statement over a table chosen at run time; the spec's columns are checked
// against the schema above, and the statements below use only those.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyEb = ExpressionBuilder<any, any>;
/** Further columns a statement sets: the queue's own bookkeeping (attempts, errors, timestamps). */
export type ExtraValues = Record<string, unknown> | ((eb: AnyEb) => Record<string, unknown>);

interface ClaimOptions {
  owner: string;
  now: string;
  leaseUntil: string;
  limit: number;
  /** A further condition on claimable rows (the job types this worker has handlers for). */
  where?: (eb: AnyEb) => Expression<SqlBool>;
  set?: ExtraValues;
}

interface LeaseQueue<T extends LeaseTable> {
  /** Lease up to `limit` due rows to `owner`, in the spec's order. */
  claim(db: Db, o: ClaimOptions): Promise<Selectable<Database[T]>[]>;
  /** Extend the lease on one row (`id`) or on all the owner holds; how many rows it still holds. */
  renew(db: Db, o: { owner: string; leaseUntil: string; id?: number; set?: ExtraValues }): Promise<number>;
  /** Settle a leased row as done; the caller's values include the final state. */
  complete(db: Db, id: number, owner: string, set: ExtraValues): Promise<boolean>;
  /** Settle a leased row as failed: `retryState` due at `retryAt`, or `deadState` when it is null. */
  fail(db: Db, id: number, owner: string, o: { retryAt: string | null; set?: ExtraValues }): Promise<boolean>;
  /** Give leased rows back at once (a clean stop), ready as they were. How many went back. */
  release(db: Db, ids: number[], owner: string): Promise<number>;
  /** Sweep rows whose lease ran out back to ready (or what `set` decides). How many. */
  expire(db: Db, now: string, set?: ExtraValues): Promise<number>;
}

function values(eb: AnyEb, set: ExtraValues | undefined): Record<string, unknown> {
  if (!set) return {};
  return typeof set === 'function' ? set(eb) : set;
}

function compareBy(columns: readonly string[]) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    for (const c of columns) {
      const x = a[c] as string | number;
      const y = b[c] as string | number;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}

export function leaseQueue<T extends LeaseTable, S extends Column<T>>(spec: LeaseQueueSpec<T, S>): LeaseQueue<T> {
  type Row = Selectable<Database[T]>;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyEb
  const k = (db: Db) => db.kysely as unknown as Kysely<any>;
  // Plain names for the untyped statements (see AnyEb).
  const [table, state, owner, until, dueAt]: string[] = [spec.table, spec.state, spec.owner, spec.until, spec.dueAt];
  const order: readonly string[] = spec.order;
  const leased: string = spec.leased;
  const cleared = { [owner]: null, [until]: null };
  /** An update of rows this owner still holds. */
  const held = (db: Db, who: string) => k(db).updateTable(table).where(owner, '=', who).where(state, '=', leased);
  return {
    async claim(db, o) {
      try {
        const due = k(db)
          .selectFrom(table)
          .select('id')
          .where((eb) => {
            const ready = eb.and([eb(state, 'in', spec.ready), eb(dueAt, '<=', o.now)]);
            const expired = eb.and([eb(state, '=', leased), eb(until, '<', o.now)]);
            const claimable = spec.claimExpired ? eb.or([ready, expired]) : ready;
            return o.where ? eb.and([claimable, o.where(eb)]) : claimable;
          })
          .$call((q) => order.reduce((acc, c) => acc.orderBy(c), q))
          .limit(o.limit)
          .$if(db.dialect === 'postgres', (q) => q.forUpdate().skipLocked());
        const rows = await k(db)
          .updateTable(table)
          .set((eb) => ({ ...values(eb, o.set), [state]: leased, [owner]: o.owner, [until]: o.leaseUntil }))
          .where('id', 'in', due)
          .returningAll()
          .execute();
        return (rows as Row[]).sort(compareBy(order) as (a: Row, b: Row) => number);
      } catch (err) {
        throw storeError(`claim from ${table} for ${o.owner}`, err);
      }
    },

    async renew(db, o) {
      const r = await held(db, o.owner)
        .set((eb) => ({ ...values(eb, o.set), [until]: o.leaseUntil }))
        .$if(o.id !== undefined, (q) => q.where('id', '=', o.id!))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async complete(db, id, who, set) {
      const r = await held(db, who)
        .set((eb) => ({ ...values(eb, set), ...cleared }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async fail(db, id, who, o) {
      const next = o.retryAt === null ? { [state]: spec.deadState } : { [state]: spec.retryState, [dueAt]: o.retryAt };
      const r = await held(db, who)
        .set((eb) => ({ ...values(eb, o.set), ...next, ...cleared }))
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async release(db, ids, who) {
      if (ids.length === 0) return 0;
      const r = await held(db, who)
        .set({ [state]: spec.ready[0], ...cleared })
        .where('id', 'in', ids)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async expire(db, now, set) {
      const r = await k(db)
        .updateTable(table)
        .set((eb) => ({ [state]: spec.ready[0], ...values(eb, set), ...cleared }))
        .where(state, '=', leased)
        .where(until, '<', now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
