import type { Db } from '../db/open.js';

/**
 * Job workers' heartbeats: each running worker keeps one row, rewritten every few seconds, so any
 * process can tell whether background work is running (/readyz, the admin console).
 *
 * @example
 * await beat(db, { workerId: 'host:123:ab12', host: 'host', pid: 123, startedAt, now });
 */
export async function beat(
  db: Db,
  w: { workerId: string; host: string; pid: number; startedAt: string; now: string },
): Promise<void> {
  try {
    await db.kysely
      .insertInto('worker_heartbeats')
      .values({ worker_id: w.workerId, host: w.host, pid: w.pid, started_at: w.startedAt, beat_at: w.now })
      .onConflict((oc) => oc.column('worker_id').doUpdateSet({ beat_at: w.now }))
      .execute();
  } catch (err) {
    throw new Error(`store: cannot record heartbeat of worker ${w.workerId}: ${(err as Error).message}`);
  }
}

/** A worker that stops cleanly removes its row: it is gone, not late. */
export async function removeHeartbeat(db: Db, workerId: string): Promise<void> {
  await db.kysely.deleteFrom('worker_heartbeats').where('worker_id', '=', workerId).execute();
}

export interface HeartbeatRow {
  workerId: string;
  host: string;
  pid: number;
  startedAt: string;
  beatAt: string;
}

/** Every worker's last heartbeat, most recent first. */
export async function listHeartbeats(db: Db): Promise<HeartbeatRow[]> {
  const rows = await db.kysely.selectFrom('worker_heartbeats').selectAll().orderBy('beat_at', 'desc').execute();
  return rows.map((r) => ({
    workerId: r.worker_id,
    host: r.host,
    pid: r.pid,
    startedAt: r.started_at,
    beatAt: r.beat_at,
  }));
}

/** Forget workers silent since before `before` (killed without stopping); keeps the table small. */
export async function deleteHeartbeatsBefore(db: Db, before: string): Promise<number> {
  const r = await db.kysely.deleteFrom('worker_heartbeats').where('beat_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows);
}
