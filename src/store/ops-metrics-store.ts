import type { Db } from '../db/open.js';
import type { JobState, OutboxStatus } from '../db/schema.js';

/**
 * What /metrics reads from the database at each scrape: one small aggregate per table, so every
 * web process reports the site's queues, outbox and imports whichever process did the work.
 */
export interface OpsSnapshot {
  jobs: Array<{ type: string; state: JobState; n: number }>;
  /** Per type, the run_at of the oldest job that is due and waiting (queued, or failed awaiting its retry). */
  oldestDue: Array<{ type: string; runAt: string }>;
  outbox: Array<{ status: OutboxStatus; n: number }>;
  imports: Array<{
    source: string;
    read: number;
    inserted: number;
    updated: number;
    unchanged: number;
    rejected: number;
  }>;
  lastBackupAt: string | null;
  heartbeats: string[];
}

export async function opsSnapshot(db: Db, now: string): Promise<OpsSnapshot> {
  const k = db.kysely;
  const [jobs, oldestDue, outbox, imports, backup, beats] = await Promise.all([
    k
      .selectFrom('jobs')
      .select(['type', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['type', 'state'])
      .execute(),
    k
      .selectFrom('jobs')
      .select(['type', (eb) => eb.fn.min('run_at').as('runAt')])
      .where('state', 'in', ['queued', 'failed'])
      .where('run_at', '<=', now)
      .groupBy('type')
      .execute(),
    k
      .selectFrom('digest_outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute(),
    k
      .selectFrom('import_runs')
      .select((eb) => [
        'source',
        eb.fn.sum<number>('read').as('read'),
        eb.fn.sum<number>('inserted').as('inserted'),
        eb.fn.sum<number>('updated').as('updated'),
        eb.fn.sum<number>('unchanged').as('unchanged'),
        eb.fn.sum<number>('rejected').as('rejected'),
      ])
      .groupBy('source')
      .execute(),
    k
      .selectFrom('backup_runs')
      .select((eb) => eb.fn.max('finished_at').as('at'))
      .where('status', '=', 'done')
      .executeTakeFirst(),
    k.selectFrom('worker_heartbeats').select('beat_at').execute(),
  ]);
  return {
    jobs: jobs.map((r) => ({ type: r.type, state: r.state, n: Number(r.n) })),
    oldestDue: oldestDue.filter((r) => r.runAt !== null).map((r) => ({ type: r.type, runAt: String(r.runAt) })),
    outbox: outbox.map((r) => ({ status: r.status, n: Number(r.n) })),
    imports: imports.map((r) => ({
      source: r.source,
      read: Number(r.read ?? 0),
      inserted: Number(r.inserted ?? 0),
      updated: Number(r.updated ?? 0),
      unchanged: Number(r.unchanged ?? 0),
      rejected: Number(r.rejected ?? 0),
    })),
    lastBackupAt: backup?.at ? String(backup.at) : null,
    heartbeats: beats.map((b) => b.beat_at),
  };
}
