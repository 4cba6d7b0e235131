import type { App } from '../app.js';
import type { SubscriberRow, UserRow } from '../db/schema.js';
import { type Period as DigestPeriod, periodWindow } from '../model/digest-period.js';
import { verifiedUsersByEmail } from '../store/user-store.js';
import { toActor } from './accounts.js';
import { recommendations } from './recommendations.js';

/**
 * The "For you" section of a digest (issue #17), for a subscriber who has an account.
 *
 * Who has an account: the account whose **verified** address is the subscription's address (a
 * subscription is only active once that address confirmed it, so both sides proved the same
 * mailbox). A subscription made while signed in also records the account (subscribers.user_id);
 * when it names another account than the address's, there is no section: a reader's signals go
 * only to a mailbox that reader proved is theirs. Banned accounts get none.
 *
 * The section is decided when the outbox row is queued and kept in it (digest_outbox.for_you), so
 * every attempt at that row sends the same mail, and the outbox's one-row-per-period rule keeps it
 * to one mail. A reader whose recommendations would be the trending fallback gets no section (the
 * digest above it is trending already).
 *
 * @example
 * const accounts = await digestAccounts(app, page); // subscriber id → account
 * const json = await forYouSection(app, accounts.get(sub.id)!, 'daily', '2026-06-16', [12, 40]);
 * // '[{"id":7,"why":"by Ada Lovelace, an author you follow"}]'
 */
/** Papers in a digest's "For you" section. */
const DIGEST_FOR_YOU_PAPERS = 5;

export interface ForYouEntry {
  id: number;
  why: string;
}

/** The account each subscriber of `subs` matches, by subscriber id (see above). */
export async function digestAccounts(app: App, subs: readonly SubscriberRow[]): Promise<Map<number, UserRow>> {
  const users = await verifiedUsersByEmail(
    app.db,
    subs.map((s) => s.email),
  );
  const byEmail = new Map(users.map((u) => [u.email, u]));
  const out = new Map<number, UserRow>();
  for (const s of subs) {
    const u = byEmail.get(s.email);
    if (u && (s.user_id === null || s.user_id === u.id)) out.set(s.id, u);
  }
  return out;
}

/**
 * The section as stored in the outbox row: the reader's recommendations from the papers of the days
 * the digest covers, without those the digest already lists (`exclude`); null when there is none.
 */
export async function forYouSection(
  app: App,
  user: UserRow,
  period: DigestPeriod,
  day: string,
  exclude: readonly number[],
): Promise<string | null> {
  const skip = new Set(exclude);
  const r = await recommendations(app, toActor(user, 'read'), {
    period: period === 'weekly' ? 'week' : 'day',
    limit: DIGEST_FOR_YOU_PAPERS + skip.size,
    window: periodWindow(period, day),
  });
  if (r.fallback) return null;
  const entries: ForYouEntry[] = r.items
    .filter((i) => !skip.has(i.card.id))
    .slice(0, DIGEST_FOR_YOU_PAPERS)
    .map((i) => ({ id: i.card.id, why: i.why }));
  return entries.length > 0 ? JSON.stringify(entries) : null;
}

/** The stored section back (an unreadable one is dropped rather than failing the whole digest). */
export function parseForYou(json: string | null): ForYouEntry[] {
  if (!json) return [];
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v)
      ? v.filter(
          (e): e is ForYouEntry => !!e && typeof e.id === 'number' && typeof e.why === 'string' && e.why.length > 0,
        )
      : [];
  } catch {
    return [];
  }
}
