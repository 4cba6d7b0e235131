import type { Db } from '../db/open.js';
import { isUniqueViolation, storeError } from './store-errors.js';

export type FlagTarget = 'comment' | 'submission';

/** Record a flag; false when this user already flagged this item. */
export async function insertFlag(
  db: Db,
  f: { targetType: FlagTarget; targetId: number; userId: number; reason: string; at: string },
): Promise<boolean> {
  try {
    await db.kysely
      .insertInto('flags')
      .values({
        target_type: f.targetType,
        target_id: f.targetId,
        user_id: f.userId,
        reason: f.reason,
        created_at: f.at,
        resolved_at: null,
      })
      .execute();
    return true;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw storeError(`flag ${f.targetType} ${f.targetId}`, err);
  }
}

export interface QueueItem {
  targetType: FlagTarget;
  targetId: number;
  flags: number;
  reasons: string[];
  firstFlaggedAt: string;
}

/** Unresolved flags grouped by item, most-flagged first: the moderation queue. */
export async function moderationQueue(db: Db, limit: number): Promise<QueueItem[]> {
  const rows = await db.kysely
    .selectFrom('flags')
    .select(['target_type', 'target_id', 'reason', 'created_at'])
    .where('resolved_at', 'is', null)
    .orderBy('created_at')
    .execute();
  const byItem = new Map<string, QueueItem>();
  for (const r of rows) {
    const key = `${r.target_type}:${r.target_id}`;
    const item = byItem.get(key) ?? {
      targetType: r.target_type,
      targetId: r.target_id,
      flags: 0,
      reasons: [],
      firstFlaggedAt: r.created_at,
    };
    item.flags += 1;
    if (!item.reasons.includes(r.reason)) item.reasons.push(r.reason);
    byItem.set(key, item);
  }
  return [...byItem.values()]
    .sort((a, b) => b.flags - a.flags || a.firstFlaggedAt.localeCompare(b.firstFlaggedAt))
    .slice(0, limit);
}

export async function resolveFlags(db: Db, targetType: FlagTarget, targetId: number, at: string): Promise<number> {
  const r = await db.kysely
    .updateTable('flags')
    .set({ resolved_at: at })
    .where('target_type', '=', targetType)
    .where('target_id', '=', targetId)
    .where('resolved_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export interface LogEntry {
  id: number;
  actor: string | null;
  action: string;
  targetType: string;
  targetId: number;
  reason: string | null;
  createdAt: string;
}

export async function insertLogEntry(
  db: Db,
  e: {
    actorId: number | null;
    action: string;
    targetType: string;
    targetId: number;
    reason: string | null;
    at: string;
  },
): Promise<void> {
  await db.kysely
    .insertInto('moderation_log')
    .values({
      actor_id: e.actorId,
      action: e.action,
      target_type: e.targetType,
      target_id: e.targetId,
      reason: e.reason,
      created_at: e.at,
    })
    .execute();
}

/** The public moderation log, newest first. */
export async function moderationLog(db: Db, limit: number, offset = 0): Promise<LogEntry[]> {
  const rows = await db.kysely
    .selectFrom('moderation_log')
    .leftJoin('users', 'users.id', 'moderation_log.actor_id')
    .select([
      'moderation_log.id',
      'users.username',
      'action',
      'target_type',
      'target_id',
      'reason',
      'moderation_log.created_at',
    ])
    .orderBy('moderation_log.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actor: r.username,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}
