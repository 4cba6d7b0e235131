import { sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { JobRow, JobState } from '../db/schema.js';
import { type LeaseQueueSpec, leaseQueue } from './lease-queue.js';
import { storeError } from './store-errors.js';

export const JOB_STATES: readonly JobState[] = ['queued', 'running', 'done', 'failed', 'dead'];
/** Longest error text kept per job: a stack trace is enough to act on, a megabyte is not. */
const MAX_ERROR_CHARS = 4000;

interface NewJob {
  type: string;
  /** JSON text (already validated by the caller). */
  payload: string;
  runAt: string;
  maxAttempts: number;
  dedupeKey?: string | null;
  now: string;
}

/**
 * Add a job. With a dedupe key that already exists, nothing is added and the existing job's id is
 * returned with `inserted: false`, so enqueueing is idempotent across processes.
 *
 * @example
 * await insertJob(db, { type: 'import-file', payload: '{"format":"kaggle","files":["a.gz"]}', runAt: now, maxAttempts: 5, now });
 */
export async function insertJob(db: Db, job: NewJob): Promise<{ id: number; inserted: boolean }> {
  try {
    const row = await db.kysely
      .insertInto('jobs')
      .values({
        type: job.type,
        payload: job.payload,
        state: 'queued',
        attempts: 0,
        max_attempts: job.maxAttempts,
        run_at: job.runAt,
        dedupe_key: job.dedupeKey ?? null,
        created_at: job.now,
        updated_at: job.now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row) return { id: row.id, inserted: true };
    const existing = await db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('dedupe_key', '=', job.dedupeKey!)
      .executeTakeFirstOrThrow();
    return { id: existing.id, inserted: false };
  } catch (err) {
    throw storeError(`enqueue job ${job.type}`, err);
  }
}

/**
 * The jobs table as a lease queue: `queued` or `failed` rows are claimable once `run_at` has come
 * (a failed job waits for its retry time like a queued one), `running` rows are leased to a worker.
 * An expired lease is not claimed directly: `requeueExpiredJobs` sweeps it, dead-lettering a job
 * that has used all its attempts.
 */
export const JOBS_QUEUE_SPEC = {
  table: 'jobs',
  state: 'state',
  ready: ['queued', 'failed'],
  leased: 'running',
  retryState: 'failed',
  deadState: 'dead',
  dueAt: 'run_at',
  owner: 'locked_by',
  until: 'locked_until',
  claimExpired: false,
  order: ['run_at', 'id'],
} as const satisfies LeaseQueueSpec<'jobs', 'state'>;
const jobQueue = leaseQueue(JOBS_QUEUE_SPEC);

interface ClaimOptions {
  workerId: string;
  now: string;
  /** Lease end: past it, another worker may take the job over. */
  leaseUntil: string;
  /** Only these types (the handlers this worker has). */
  types: string[];
}

/**
 * Claim the next due job for a worker, safely with any number of workers and processes (see
 * store/lease-queue.ts for how, on each database). The attempt count goes up at claim time, so a
 * worker killed mid-job still spends an attempt.
 */
export async function claimNextJob(db: Db, o: ClaimOptions): Promise<JobRow | undefined> {
  if (o.types.length === 0) return undefined;
  const [job] = await jobQueue.claim(db, {
    owner: o.workerId,
    now: o.now,
    leaseUntil: o.leaseUntil,
    limit: 1,
    where: (eb) => eb('type', 'in', o.types),
    set: (eb) => ({ attempts: eb('attempts', '+', 1), updated_at: o.now }),
  });
  return job;
}

/** Extend a running job's lease; false when the worker no longer holds it (it expired and moved on). */
export async function renewLease(
  db: Db,
  id: number,
  workerId: string,
  leaseUntil: string,
  now: string,
): Promise<boolean> {
  return (await jobQueue.renew(db, { id, owner: workerId, leaseUntil, set: { updated_at: now } })) === 1;
}

/** Mark a job done; false (and nothing written) when this worker's lease was lost meanwhile. */
export async function markJobDone(
  db: Db,
  id: number,
  workerId: string,
  now: string,
  result: string | null,
): Promise<boolean> {
  return jobQueue.complete(db, id, workerId, {
    state: 'done' satisfies JobState,
    last_error: null,
    result,
    updated_at: now,
    finished_at: now,
  });
}

/**
 * Record a failed attempt: `failed` to be tried again at retryAt, or `dead` (retryAt null).
 * False when this worker's lease was lost meanwhile.
 */
export async function markJobFailed(
  db: Db,
  id: number,
  workerId: string,
  f: { error: string; now: string; retryAt: string | null },
): Promise<boolean> {
  const dead = f.retryAt === null;
  return jobQueue.fail(db, id, workerId, {
    retryAt: f.retryAt,
    set: {
      last_error: f.error.slice(0, MAX_ERROR_CHARS),
      updated_at: f.now,
      ...(dead ? { run_at: f.now, finished_at: f.now } : { finished_at: null }),
    },
  });
}

/**
 * Jobs whose lease ran out (their worker was killed or hung) go back to the queue at once, or to
 * the dead-letter state when they have used all their attempts. One statement: safe to run from
 * every worker at once. Returns how many were recovered.
 */
export async function requeueExpiredJobs(db: Db, now: string): Promise<number> {
  return jobQueue.expire(db, now, (eb) => ({
    state: eb
      .case()
      .when('attempts', '>=', eb.ref('max_attempts'))
      .then(sql<JobState>`'dead'`)
      .else(sql<JobState>`'queued'`)
      .end(),
    finished_at: eb.case().when('attempts', '>=', eb.ref('max_attempts')).then(now).else(null).end(),
    last_error: sql<string>`'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped before finishing'`,
    run_at: now,
    updated_at: now,
  }));
}

interface JobFilter {
  state?: JobState;
  type?: string;
  limit: number;
  offset?: number;
}

/** Jobs newest first, for `paperboy jobs` and the admin page. */
export async function listJobs(db: Db, f: JobFilter): Promise<JobRow[]> {
  let q = db.kysely.selectFrom('jobs').selectAll();
  if (f.state) q = q.where('state', '=', f.state);
  if (f.type) q = q.where('type', '=', f.type);
  return q
    .orderBy('id', 'desc')
    .limit(f.limit)
    .offset(f.offset ?? 0)
    .execute();
}

export async function getJob(db: Db, id: number): Promise<JobRow | undefined> {
  return db.kysely.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How many jobs are in each state (every state present, zero when none). */
export async function countJobsByState(db: Db): Promise<Record<JobState, number>> {
  const rows = await db.kysely
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute();
  const out = Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
  for (const r of rows) out[r.state] = Number(r.n);
  return out;
}

/** Put a dead, failed or finished job back in the queue with fresh attempts (by hand, from the CLI or admin page). */
export async function retryJob(db: Db, id: number, now: string): Promise<boolean> {
  const r = await db.kysely
    .updateTable('jobs')
    .set({
      state: 'queued',
      attempts: 0,
      run_at: now,
      locked_by: null,
      locked_until: null,
      updated_at: now,
      finished_at: null,
    })
    .where('id', '=', id)
    .where('state', 'in', ['dead', 'failed', 'done'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Delete jobs that finished (done) before `before`; dead jobs stay until retried or looked at. */
export async function deleteFinishedJobs(db: Db, before: string): Promise<number> {
  const r = await db.kysely
    .deleteFrom('jobs')
    .where('state', '=', 'done')
    .where('finished_at', '<', before)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
