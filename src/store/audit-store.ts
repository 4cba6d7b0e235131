import type { Db } from '../db/open.js';
import type { AuditRow } from '../db/schema.js';

/** The admin console's audit log: one row per action, never updated or deleted by the site. */
export interface NewAudit {
  actorId: number | null;
  actorName: string;
  action: string;
  target: string;
  detail: unknown;
  ip: string | null;
  requestId: string | null;
  at: string;
}

export async function insertAudit(db: Db, a: NewAudit): Promise<void> {
  try {
    await db.kysely
      .insertInto('audit_log')
      .values({
        actor_id: a.actorId,
        actor_name: a.actorName,
        action: a.action,
        target: a.target,
        detail: a.detail === undefined || a.detail === null ? null : JSON.stringify(a.detail),
        ip: a.ip,
        request_id: a.requestId,
        created_at: a.at,
      })
      .execute();
  } catch (err) {
    throw new Error(`store: cannot write the audit entry ${a.action} ${a.target}: ${(err as Error).message}`);
  }
}

export async function listAudit(db: Db, limit: number, offset = 0): Promise<AuditRow[]> {
  return db.kysely.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).offset(offset).execute();
}
