import crypto from 'node:crypto';
import os from 'node:os';
import type { Logger } from 'pino';
import type { App } from '../app.js';
import { DatabaseBusyError, retryWhileBusy } from '../db/busy.js';
import type { Db } from '../db/open.js';
import type { JobRow } from '../db/schema.js';
import { backoffMs, DEFAULT_BACKOFF_JITTER } from '../model/backoff.js';
import { slotKey, slotStart } from '../model/schedule-slot.js';
import { beat, deleteHeartbeatsBefore, removeHeartbeat } from '../store/heartbeat-store.js';
import {
  claimNextJob,
  insertJob,
  markJobDone,
  markJobFailed,
  renewLease,
  requeueExpiredJobs,
} from '../store/job-store.js';
import { jobHandlers } from './handlers/index.js';
import { type JobHandler, PermanentJobError } from './job.js';
import { schedule as defaultSchedule, type ScheduledJob } from './schedule.js';

/** Attempts before a job goes to the dead-letter state, unless its handler says otherwise. */
const DEFAULT_MAX_ATTEMPTS = 5;
/** The lease is renewed this often while a job runs (a third of it: two renewals may be late). */
const LEASE_RENEW_FRACTION = 1 / 3;
/** An idle worker looks for due jobs, expired leases and new schedule slots this often. */
const WORKER_POLL_INTERVAL_MS = 1000;
/** A worker writes its heartbeat row this often (what /readyz and the admin console look at). */
export const WORKER_HEARTBEAT_INTERVAL_MS = 10_000;
/** Rows of workers silent this long (killed, not stopped) are deleted. */
const FORGET_SILENT_WORKER_MS = 24 * 60 * 60_000;
/**
 * A job that failed only because another process held the database's lock is tried again this
 * soon (it did nothing wrong), instead of after the doubling delay.
 */
const BUSY_RETRY_DELAY_MS = 5_000;
/** How long the worker's own bookkeeping (done, failed) keeps waiting for a busy database. */
const BOOKKEEPING_BUSY_WAIT_MS = 60_000;
/** First retry after this long, doubling each attempt … */
const RETRY_BASE_DELAY_MS = 30_000;
/** … up to this (before jitter, ±DEFAULT_BACKOFF_JITTER, so jobs that failed together spread out). */
const RETRY_MAX_DELAY_MS = 6 * 60 * 60_000;

class JobPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobPayloadError';
  }
}

function findHandler(handlers: JobHandler[], type: string): JobHandler {
  const h = handlers.find((x) => x.type === type);
  if (!h)
    throw new JobPayloadError(`jobs: unknown job type "${type}". Known: ${handlers.map((x) => x.type).join(', ')}`);
  return h;
}

function validatePayload(h: JobHandler, payload: unknown): unknown {
  const r = h.payload.safeParse(payload);
  if (!r.success) {
    throw new JobPayloadError(
      `jobs: invalid payload for ${h.type}: ${r.error.issues.map((i) => `${i.path.join('.') || 'payload'} ${i.message}`).join('; ')}`,
    );
  }
  return r.data;
}

export interface EnqueueOptions {
  /** Not before this time (default now). */
  runAt?: Date;
  /** Idempotency: a second enqueue with the same key is a no-op that returns the first job. */
  dedupeKey?: string;
  maxAttempts?: number;
  now?: Date;
  handlers?: JobHandler[];
}

/**
 * Add a job after validating its payload against its handler's schema.
 *
 * @example
 * await enqueueJob(db, 'import-file', { format: 'kaggle', files: ['/data/snapshot.json.gz'] });
 * await enqueueJob(db, 'import-file', payload, { dedupeKey: 'import:2026-01-02' }); // once only
 */
export async function enqueueJob(
  db: Db,
  type: string,
  payload: unknown,
  o: EnqueueOptions = {},
): Promise<{ id: number; inserted: boolean }> {
  const h = findHandler(o.handlers ?? jobHandlers, type);
  const value = validatePayload(h, payload);
  const now = o.now ?? new Date();
  return insertJob(db, {
    type,
    payload: JSON.stringify(value),
    runAt: (o.runAt ?? now).toISOString(),
    maxAttempts: o.maxAttempts ?? h.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    dedupeKey: o.dedupeKey ?? null,
    now: now.toISOString(),
  });
}

/**
 * Enqueue the current slot of each recurring job (a no-op when another worker already did).
 * `last` remembers the slot each entry was last enqueued for, to skip the database until the slot changes.
 */
export async function enqueueScheduleSlots(
  db: Db,
  entries: ScheduledJob[],
  now: Date,
  last = new Map<string, string>(),
  handlers = jobHandlers,
): Promise<number> {
  let inserted = 0;
  for (const e of entries) {
    const start = slotStart(now, e.intervalMinutes, e.offsetMinutes ?? 0);
    const key = slotKey(e.name, start);
    if (last.get(e.name) === key) continue;
    const r = await enqueueJob(db, e.type, e.payload, { dedupeKey: key, runAt: start, now, handlers });
    last.set(e.name, key);
    if (r.inserted) inserted++;
  }
  return inserted;
}

/** The entries that apply under this configuration, with their payloads resolved. */
export function activeSchedule(entries: ScheduledJob[], config: App['config']): ScheduledJob[] {
  return entries
    .filter((e) => e.enabled?.(config) ?? true)
    .map((e) => (e.payloadFrom ? { ...e, payload: e.payloadFrom(config) } : e));
}

/** Fail fast at start on a schedule that names an unknown handler, a bad payload or an impossible slot. */
export function checkSchedule(entries: ScheduledJob[], handlers: JobHandler[]): void {
  const names = new Set<string>();
  for (const e of entries) {
    if (names.has(e.name)) throw new Error(`schedule: two entries are named "${e.name}"`);
    names.add(e.name);
    try {
      validatePayload(findHandler(handlers, e.type), e.payload);
      slotStart(new Date(), e.intervalMinutes, e.offsetMinutes ?? 0);
    } catch (err) {
      throw new Error(`schedule entry "${e.name}": ${(err as Error).message}`);
    }
  }
}

interface WorkerOptions {
  /** Unique per worker; shown in locked_by (default host:pid:random). */
  workerId?: string;
  handlers?: JobHandler[];
  /** Recurring jobs to enqueue (default src/jobs/schedule.ts; [] for none). */
  schedule?: ScheduledJob[];
  /** Jobs run at once by this worker. */
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Fraction each retry delay is spread by either way (0 for exact doubling). */
  retryJitter?: number;
  /** How often the worker records its heartbeat (default WORKER_HEARTBEAT_INTERVAL_MS). */
  heartbeatMs?: number;
  log?: Logger;
  /** The clock (tests move it). */
  now?: () => Date;
}

export interface Worker {
  id: string;
  /** Stop claiming, wait for running jobs to finish. */
  stop(): Promise<void>;
  /** Resolves when the worker has found no due job (handy in tests and for `--until-idle`). */
  idle(): Promise<void>;
}

/**
 * Run jobs until stopped: claim a due job, run its handler under a renewed lease, record done or
 * failed (retry after a doubling, jittered delay; dead after max attempts). Every poll also re-queues jobs
 * whose lease expired (their worker died) and enqueues due schedule slots.
 *
 * @example
 * const worker = startWorker(app);            // what `paperboy worker` runs
 * process.on('SIGTERM', () => worker.stop());
 */
export function startWorker(app: App, o: WorkerOptions = {}): Worker {
  const handlers = o.handlers ?? jobHandlers;
  const entries = activeSchedule(o.schedule ?? defaultSchedule, app.config);
  checkSchedule(entries, handlers);
  const id = o.workerId ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  // The process's own logger: one stream, so lines keep their order and a stopping process's
  // flush (lib/shutdown.ts) writes the worker's last lines too.
  const log = (o.log ?? app.log).child({ worker: id });
  const now = o.now ?? (() => new Date());
  const pollMs = o.pollIntervalMs ?? WORKER_POLL_INTERVAL_MS;
  const leaseMs = o.leaseMs ?? app.config.jobLeaseMs;
  const types = handlers.map((h) => h.type);
  const backoff = {
    baseMs: o.retryBaseMs ?? RETRY_BASE_DELAY_MS,
    maxMs: o.retryMaxMs ?? RETRY_MAX_DELAY_MS,
    jitter: o.retryJitter ?? DEFAULT_BACKOFF_JITTER,
  };
  const lastSlots = new Map<string, string>();
  const stopController = new AbortController();
  let idleWaiters: Array<() => void> = [];
  let lastMaintenance = 0;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopController.signal.aborted) return resolve();
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        stopController.signal.removeEventListener('abort', done);
        resolve();
      }
      stopController.signal.addEventListener('abort', done);
    });

  /** The worker's bookkeeping waits out another process's write lock (asynchronously). */
  const whileBusy = <T>(fn: () => Promise<T>) =>
    retryWhileBusy(fn, {
      budgetMs: BOOKKEEPING_BUSY_WAIT_MS,
      onWait: (waited) => {
        if (waited === 0) log.warn('database busy; the worker waits for it');
      },
    });

  async function maintenance(): Promise<void> {
    const t = now();
    if (t.getTime() - lastMaintenance < pollMs) return;
    lastMaintenance = t.getTime();
    const recovered = await requeueExpiredJobs(app.db, t.toISOString());
    if (recovered > 0) log.warn({ recovered }, 'requeued jobs whose lease expired');
    await enqueueScheduleSlots(app.db, entries, t, lastSlots, handlers);
  }

  async function run(job: JobRow): Promise<void> {
    const h = handlers.find((x) => x.type === job.type)!;
    const jobLog = log.child({ job: job.id, type: job.type, attempt: job.attempts });
    const lease = new AbortController();
    const onStop = () => lease.abort();
    stopController.signal.addEventListener('abort', onStop);
    const renew = setInterval(
      () => {
        const t = now();
        renewLease(app.db, job.id, id, new Date(t.getTime() + leaseMs).toISOString(), t.toISOString())
          .then((held) => {
            if (!held) {
              jobLog.warn('lost the lease (it expired); another worker may run this job');
              lease.abort();
            }
          })
          .catch((err) => jobLog.error({ err }, 'cannot renew lease'));
      },
      Math.max(1, Math.floor(leaseMs * LEASE_RENEW_FRACTION)),
    );
    try {
      let payload: unknown;
      try {
        payload = validatePayload(h, JSON.parse(job.payload));
      } catch (err) {
        throw new PermanentJobError((err as Error).message);
      }
      const result = await h.run(
        { app, jobId: job.id, attempt: job.attempts, maxAttempts: job.max_attempts, log: jobLog, signal: lease.signal },
        payload,
      );
      const held = await whileBusy(() =>
        markJobDone(app.db, job.id, id, now().toISOString(), result === undefined ? null : JSON.stringify(result)),
      );
      app.metrics.jobAttempts.inc({ type: job.type, outcome: 'done' });
      if (held) jobLog.info('job done');
      else jobLog.warn('job finished after its lease was lost; result not recorded');
    } catch (err) {
      const e = err as Error;
      const permanent = e instanceof PermanentJobError;
      const busy = e instanceof DatabaseBusyError;
      const t = now();
      const retry = !permanent && job.attempts < job.max_attempts;
      const delay = busy ? BUSY_RETRY_DELAY_MS : backoffMs(job.attempts, backoff);
      const retryAt = retry ? new Date(t.getTime() + delay).toISOString() : null;
      await whileBusy(() =>
        markJobFailed(app.db, job.id, id, { error: e.stack ?? e.message, now: t.toISOString(), retryAt }),
      );
      app.metrics.jobAttempts.inc({ type: job.type, outcome: retry ? 'retry' : 'dead' });
      jobLog.error({ err: e.message, retryAt }, retry ? 'job failed; will retry' : 'job failed; dead-lettered');
    } finally {
      clearInterval(renew);
      stopController.signal.removeEventListener('abort', onStop);
    }
  }

  async function loop(): Promise<void> {
    while (!stopController.signal.aborted) {
      try {
        await maintenance();
        const t = now();
        const job = await claimNextJob(app.db, {
          workerId: id,
          now: t.toISOString(),
          leaseUntil: new Date(t.getTime() + leaseMs).toISOString(),
          types,
        });
        if (!job) {
          for (const w of idleWaiters) w();
          idleWaiters = [];
          await sleep(pollMs);
          continue;
        }
        await run(job);
      } catch (err) {
        // A busy database (another process writing) is expected: wait and poll again, no alarm.
        if (err instanceof DatabaseBusyError) log.warn('database busy; polling again after a pause');
        else log.error({ err: (err as Error).message }, 'worker loop error; retrying after a pause');
        await sleep(pollMs);
      }
    }
  }

  const startedAt = now().toISOString();
  const heartbeat = async () => {
    const t = now();
    try {
      await beat(app.db, { workerId: id, host: os.hostname(), pid: process.pid, startedAt, now: t.toISOString() });
      await deleteHeartbeatsBefore(app.db, new Date(t.getTime() - FORGET_SILENT_WORKER_MS).toISOString());
    } catch (err) {
      log.error({ err: (err as Error).message }, 'cannot record heartbeat');
    }
  };
  let beating: Promise<void> | null = heartbeat();
  const beatTimer = setInterval(() => {
    beating = heartbeat();
  }, o.heartbeatMs ?? WORKER_HEARTBEAT_INTERVAL_MS);
  beatTimer.unref();

  const loops = Array.from({ length: Math.max(1, o.concurrency ?? 1) }, () => loop());
  log.info({ types, schedule: entries.map((e) => e.name) }, 'worker started');
  return {
    id,
    async stop() {
      stopController.abort();
      clearInterval(beatTimer);
      await Promise.all(loops);
      await beating;
      // Gone, not late: /readyz tells a stopped worker from a slow one at once.
      await removeHeartbeat(app.db, id).catch((err) =>
        log.error({ err: (err as Error).message }, 'cannot remove heartbeat'),
      );
      for (const w of idleWaiters) w();
      log.info('worker stopped');
    },
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}
