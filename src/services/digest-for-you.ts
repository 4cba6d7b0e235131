import type { App } from '../app.js';
import type { SubscriberRow, UserRow } from '../db/schema.js';
import { type Period as DigestPeriod, periodWindow } from '../model/digest-period.js';
import { verifiedUsersByEmail } from '../store/user-store.js';
import { windowRecommendations } from './recommendations.js';

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
  return (await forYouSections(app, period, day, [{ key: user.id, user, exclude }])).get(user.id) ?? null;
}

/**
 * `forYouSection` for many digests of one period and day at once (a page of subscribers): the
 * window's candidates are scored for every reader from one shared matrix, their signals read in
 * two queries (services/recommendations.ts, windowRecommendations). Keyed by the caller's `key`.
 */
export async function forYouSections(
  app: App,
  period: DigestPeriod,
  day: string,
  digests: ReadonlyArray<{ key: number; user: UserRow; exclude: readonly number[] }>,
): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  // One scoring per reader and window; two subscriptions of one account share it only when they
  // exclude the same papers, so the key is the digest's.
  const pages = await windowRecommendations(
    app,
    periodWindow(period, day),
    digests.map((d) => ({ key: d.key, userId: d.user.id, limit: DIGEST_FOR_YOU_PAPERS, exclude: d.exclude })),
  );
  for (const d of digests) {
    const entries = pages.get(d.key);
    out.set(d.key, entries && entries.length > 0 ? JSON.stringify(entries) : null);
  }
  return out;
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
