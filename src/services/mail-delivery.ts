import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import type { OutgoingMail } from '../mail/transport.js';
import { type Actor, isAdmin } from '../model/actor.js';
import { insertOutboxMail, listOutboxMail } from '../store/mail-outbox-store.js';

/** Where an admin reads the mail kept while mail is off. */
export const OUTBOX_PATH = '/admin/outbox';

/**
 * What a page says after promising mail on a site with mail off: where the message went instead.
 * Pages show it whenever `app.mailer` is null, because `deliverMail` then always keeps the message.
 */
export const MAIL_OFF_WHERE = `Mail is off on this site (no SMTP_URL), so nothing was sent by email: the message is kept in the site's outbox, where an administrator reads it (${OUTBOX_PATH}), and in the server log.`;

export type Delivery = { via: 'smtp' } | { via: 'outbox'; id: number };

/**
 * Send a mail someone is waiting for (a confirmation or reset link). With mail off (no SMTP_URL)
 * it is kept in the outbox table and written to the log, so an admin can read it and pass it on:
 * absent mail is visible, never silently dropped. Digests do not come here (mail off skips them).
 *
 * @example
 * await deliverMail(app, { to: 'ada@example.org', subject: 'Confirm', text: 'Open …' }, 'verify')
 * // { via: 'outbox', id: 3 } on a site without SMTP_URL
 */
export async function deliverMail(app: App, mail: OutgoingMail, purpose: string): Promise<Delivery> {
  if (app.mailer) {
    await app.mailer.send(mail);
    return { via: 'smtp' };
  }
  const id = await insertOutboxMail(app.db, {
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    purpose,
    at: app.clock.now().toISOString(),
  });
  app.log.info(
    { outboxId: id, to: mail.to, subject: mail.subject, purpose, text: mail.text },
    `mail is off (no SMTP_URL): kept in the outbox (${OUTBOX_PATH})`,
  );
  return { via: 'outbox', id };
}

/** The kept mail, newest first, for an admin (the route checks too; a service never trusts it). */
export async function readOutbox(app: App, actor: Actor, limit: number, offset: number) {
  if (!isAdmin(actor)) throw new AppError('forbidden', 'Only admins read the outbox.');
  return listOutboxMail(app.db, limit, offset);
}
