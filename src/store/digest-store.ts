import type { Insertable } from 'kysely';
import type { Db } from '../db/open.js';
import type { DigestOutboxTable, DigestRunRow, OutboxRow, OutboxStatus } from '../db/schema.js';
import { type ExtraValues, leaseQueue } from './lease-queue.js';
import { storeError } from './store-errors.js';

/**
 * The digest outbox and run log. The outbox is unique on (subscriber_id, period_key); a row moves
 * pending → sending (leased to one worker until lease_until) → sent | pending (deferred after a
 * temporary failure) | failed (permanent failure, or out of attempts). `empty` rows record that a
 * subscriber's filters matched nothing, so a re-run does not reconsider them; `cancelled` rows
 * belong to someone who left before their digest went out.
 */
export type NewOutboxRow = Insertable<DigestOutboxTable>;

const INSERT_BATCH_ROWS = 500;

function fail(what: string, err: unknown): never {
  throw storeError(`${what}`, err);
}

/** Of these subscribers, those that already have a row for the period key. */
export async function subscribersWithOutboxRow(
  db: Db,
  periodKey: string,
  subscriberIds: number[],
): Promise<Set<number>> {
  if (subscriberIds.length === 0) return new Set();
  const rows = await db.kysely
    .selectFrom('digest_outbox')
    .select('subscriber_id')
    .where('period_key', '=', periodKey)
    .where('subscriber_id', 'in', subscriberIds)
    .execute();
  return new Set(rows.map((r) => r.subscriber_id));
}

/** Enqueue; a (subscriber, period) that already has a row keeps it. Returns how many rows are new. */
export async function insertOutboxRows(db: Db, rows: NewOutboxRow[]): Promise<number> {
  let inserted = 0;
  try {
    for (let i = 0; i < rows.length; i += INSERT_BATCH_ROWS) {
      const r = await db.kysely
        .insertInto('digest_outbox')
        .values(rows.slice(i, i + INSERT_BATCH_ROWS))
        .onConflict((oc) => oc.columns(['subscriber_id', 'period_key']).doNothing())
        .executeTakeFirst();
      inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
  } catch (err) {
    fail(`enqueue ${rows.length} digests`, err);
  }
  return inserted;
}

/**
 * The outbox as a lease queue: `pending` rows are claimable once next_attempt_at has come, and a
 * `sending` row whose lease ran out (a worker died mid-send) is claimed again directly.
 */
const outbox = leaseQueue({
  table: 'digest_outbox',
  state: 'status',
  ready: ['pending'],
  leased: 'sending',
  retryState: 'pending',
  deadState: 'failed',
  dueAt: 'next_attempt_at',
  owner: 'lease_owner',
  until: 'lease_until',
  claimExpired: true,
  order: ['id'],
});
/** Longest error or SMTP reply kept per row. */
const MAX_REPLY_CHARS = 500;

/**
 * Lease up to `limit` rows that are due (pending and past next_attempt_at) or whose lease expired
 * (a worker died mid-send); two workers never lease the same row (see store/lease-queue.ts).
 */
export async function claimOutboxRows(
  db: Db,
  opts: { owner: string; now: string; leaseUntil: string; limit: number; runId: number | null },
): Promise<OutboxRow[]> {
  return outbox.claim(db, {
    owner: opts.owner,
    now: opts.now,
    leaseUntil: opts.leaseUntil,
    limit: opts.limit,
    set: (eb) => ({ run_id: opts.runId, claims: eb('claims', '+', 1) }),
  });
}

/** Keep this worker's leases alive; returns how many rows it still holds. */
export async function extendLeases(db: Db, owner: string, leaseUntil: string): Promise<number> {
  return outbox.renew(db, { owner, leaseUntil });
}

/**
 * Renew one row's lease just before its message goes to SMTP; false when the row is no longer
 * this worker's (a stall outlived the lease and another worker took it): then it must not be sent.
 */
export async function renewOutboxLease(db: Db, id: number, owner: string, leaseUntil: string): Promise<boolean> {
  return (await outbox.renew(db, { id, owner, leaseUntil })) === 1;
}

/** Record that the SMTP server accepted the message. False when the lease was lost meanwhile. */
export async function markOutboxSent(
  db: Db,
  id: number,
  owner: string,
  response: string,
  now: string,
): Promise<boolean> {
  return outbox.complete(db, id, owner, {
    status: 'sent' satisfies OutboxStatus,
    sent_at: now,
    smtp_response: response.slice(0, MAX_REPLY_CHARS),
    last_error: null,
  });
}

/** A temporary failure: back to pending, not before `nextAttemptAt`. */
export async function deferOutboxRow(
  db: Db,
  id: number,
  owner: string,
  error: string,
  nextAttemptAt: string,
): Promise<boolean> {
  return outbox.fail(db, id, owner, { retryAt: nextAttemptAt, set: failure(error) });
}

/** A permanent failure (or out of attempts): `failed`, not tried again. */
export async function failOutboxRow(db: Db, id: number, owner: string, error: string): Promise<boolean> {
  return outbox.fail(db, id, owner, { retryAt: null, set: failure(error) });
}

function failure(error: string): ExtraValues {
  return (eb) => ({ attempts: eb('attempts', '+', 1), last_error: error.slice(0, MAX_REPLY_CHARS) });
}

/** Give back leased rows that were never handed to SMTP (a clean stop), so others take them at once. */
export async function releaseOutboxRows(db: Db, ids: number[], owner: string): Promise<void> {
  await outbox.release(db, ids, owner);
}

/** A subscriber left or bounced: their digests not yet handed to SMTP are not sent. */
export async function cancelPendingOutbox(db: Db, subscriberId: number): Promise<number> {
  const r = await db.kysely
    .updateTable('digest_outbox')
    .set({ status: 'cancelled', lease_owner: null, lease_until: null })
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Rows still to do: how many, and when the earliest deferred one or leased one comes due. */
export async function outboxBacklog(db: Db): Promise<{ open: number; nextDueAt: string | null }> {
  const r = await db.kysely
    .selectFrom('digest_outbox')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .min(eb.case().when('status', '=', 'pending').then(eb.ref('next_attempt_at')).else(eb.ref('lease_until')).end())
        .as('due'),
    ])
    .where('status', 'in', ['pending', 'sending'])
    .executeTakeFirstOrThrow();
  return { open: Number(r.n), nextDueAt: (r.due as string | null) ?? null };
}

export async function outboxCountsByPeriod(
  db: Db,
  limitKeys: number,
): Promise<Array<{ period_key: string; status: string; n: number }>> {
  const keys = await db.kysely
    .selectFrom('digest_outbox')
    .select('period_key')
    .groupBy('period_key')
    .orderBy('period_key', 'desc')
    .limit(limitKeys)
    .execute();
  if (keys.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('digest_outbox')
    .select(['period_key', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(
      'period_key',
      'in',
      keys.map((k) => k.period_key),
    )
    .groupBy(['period_key', 'status'])
    .orderBy('period_key', 'desc')
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

export async function outboxRowsFor(
  db: Db,
  where: { periodKey?: string; status?: OutboxRow['status']; runId?: number },
  limit: number,
  order: 'asc' | 'desc' = 'asc',
): Promise<OutboxRow[]> {
  let q = db.kysely.selectFrom('digest_outbox').selectAll();
  if (where.periodKey) q = q.where('period_key', '=', where.periodKey);
  if (where.status) q = q.where('status', '=', where.status);
  if (where.runId !== undefined) q = q.where('run_id', '=', where.runId);
  return q.orderBy('id', order).limit(limit).execute();
}

// --- runs ---

export async function createRun(
  db: Db,
  run: { period: string; periodKeys: string[]; worker: string; now: string },
): Promise<number> {
  const r = await db.kysely
    .insertInto('digest_runs')
    .values({
      period: run.period,
      period_keys: JSON.stringify(run.periodKeys),
      worker: run.worker,
      status: 'running',
      started_at: run.now,
      heartbeat_at: run.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface RunCounters {
  enqueued: number;
  empty: number;
  sent: number;
  deferred: number;
  failed: number;
}

export async function updateRun(
  db: Db,
  id: number,
  patch: Partial<RunCounters> & {
    periodKeys?: string[];
    status?: DigestRunRow['status'];
    now: string;
    finished?: boolean;
    error?: string | null;
  },
): Promise<void> {
  const { periodKeys, now, finished, ...rest } = patch;
  await db.kysely
    .updateTable('digest_runs')
    .set({
      ...rest,
      ...(periodKeys ? { period_keys: JSON.stringify(periodKeys) } : {}),
      heartbeat_at: now,
      ...(finished ? { finished_at: now } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function recentRuns(db: Db, limit: number): Promise<DigestRunRow[]> {
  return db.kysely.selectFrom('digest_runs').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
