import type { Db } from '../db/open.js';
import type { MailOutboxRow } from '../db/schema.js';
import { storeError } from './store-errors.js';

/** Keep one mail that could not be sent because mail is off (migration 0045). */
export async function insertOutboxMail(
  db: Db,
  m: { to: string; subject: string; text: string; purpose: string; at: string },
): Promise<number> {
  try {
    const r = await db.kysely
      .insertInto('mail_outbox')
      .values({ to_address: m.to, subject: m.subject, body_text: m.text, purpose: m.purpose, created_at: m.at })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  } catch (err) {
    throw storeError(`keep mail to ${m.to} in the outbox`, err);
  }
}

/** The newest kept mails first, a page at a time, and how many there are. */
export async function listOutboxMail(
  db: Db,
  limit: number,
  offset: number,
): Promise<{ items: MailOutboxRow[]; total: number }> {
  try {
    const items = await db.kysely
      .selectFrom('mail_outbox')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    const n = await db.kysely
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { items, total: Number(n.n) };
  } catch (err) {
    throw storeError('list the mail outbox', err);
  }
}
