import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { App } from '../app.js';
import type { SubscriberRow } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { parseToken, signToken, verifyToken } from '../lib/signed-token.js';
import { buildConfirmationMail } from '../mail/confirmation.js';
import {
  DEFAULT_PREFERENCES,
  formatTopics,
  normaliseEmail,
  type Preferences,
  parseTopics,
  validatePreferences,
} from '../model/subscription.js';
import { cancelPendingOutbox } from '../store/digest-store.js';
import {
  findSubscriberByEmail,
  findSubscriberById,
  findSubscriberByUser,
  insertSubscriber,
  insertSubscribersIgnoringKnown,
  type NewSubscriber,
  subscribersPage,
  updateSubscriber,
} from '../store/subscriber-store.js';
import { deliverMail } from './mail-delivery.js';

/**
 * Email-only subscriptions with double opt-in. Every link in a mail carries a signed token bound to
 * the subscriber's id, address and the link's purpose (see lib/signed-token.ts), so the links work
 * without logging in and cannot be turned against another address.
 *
 * @example
 * await subscribe(app, 'ada@example.org');           // sends the confirmation mail
 * await confirmSubscription(app, tokenFromTheMail);    // status becomes 'active'
 * await unsubscribe(app, unsubscribeTokenFromAMail);   // status becomes 'unsubscribed'
 */
type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

/** A confirmation link works this long; after that, subscribing again sends a fresh one. */
const CONFIRM_TOKEN_MAX_AGE_SECONDS = 7 * 24 * 3600;
/** Another confirmation mail to the same pending address is sent at most this often (anti-abuse). */
const CONFIRMATION_RESEND_MIN_SECONDS = 10 * 60;
/** Rows per page when exporting (keyset paging keeps memory flat). */
const EXPORT_PAGE_ROWS = 1000;
/** Rows per insert batch when importing a CSV. */
const IMPORT_BATCH_ROWS = 2000;

export function subscriberToken(
  app: App,
  purpose: TokenPurpose,
  sub: Pick<SubscriberRow, 'id' | 'email'>,
  now = new Date(),
): string {
  return signToken(app.config.secretKey, `subscriber:${purpose}`, sub.id, sub.email, now);
}

export function subscriberLinks(app: App, sub: Pick<SubscriberRow, 'id' | 'email'>, now = new Date()) {
  const base = app.config.baseUrl;
  return {
    unsubscribeUrl: `${base}/unsubscribe?token=${subscriberToken(app, 'unsubscribe', sub, now)}`,
    preferencesUrl: `${base}/preferences?token=${subscriberToken(app, 'preferences', sub, now)}`,
  };
}

function confirmUrl(app: App, sub: Pick<SubscriberRow, 'id' | 'email'>, now = new Date()): string {
  return `${app.config.baseUrl}/subscribe/confirm?token=${subscriberToken(app, 'confirm', sub, now)}`;
}

/** The subscriber a token names, if the token is genuine for that purpose and their current address. */
export async function subscriberFromToken(
  app: App,
  purpose: TokenPurpose,
  token: unknown,
  now = new Date(),
): Promise<SubscriberRow | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const sub = await findSubscriberById(app.db, parsed.subject);
  if (!sub) return null;
  const ok = verifyToken(app.config.secretKey, `subscriber:${purpose}`, token, sub.email, {
    maxAgeSeconds: purpose === 'confirm' ? CONFIRM_TOKEN_MAX_AGE_SECONDS : undefined,
    now,
  });
  return ok ? sub : null;
}

export function preferencesOf(sub: SubscriberRow): Preferences {
  return {
    frequency: sub.frequency,
    sendHour: sub.send_hour,
    timeZone: sub.time_zone,
    paperCount: sub.paper_count,
    minUpvotes: sub.min_upvotes,
    categories: JSON.parse(sub.categories),
    keywords: JSON.parse(sub.keywords),
    organizations: JSON.parse(sub.organizations),
  };
}

function preferenceColumns(p: Preferences) {
  return {
    frequency: p.frequency,
    send_hour: p.sendHour,
    time_zone: p.timeZone,
    paper_count: p.paperCount,
    min_upvotes: p.minUpvotes,
    categories: JSON.stringify(p.categories),
    keywords: JSON.stringify(p.keywords),
    organizations: JSON.stringify(p.organizations),
  };
}

export type SubscribeOutcome =
  /** A confirmation mail went out (or would have: see mailOff). */
  | 'confirmation-sent'
  /** The address is pending and a confirmation was sent a moment ago: none sent now. */
  | 'confirmation-recent'
  /** The address is already subscribed and confirmed: nothing to do. */
  | 'already-active';

export interface SubscribeResult {
  outcome: SubscribeOutcome;
  /** True when SMTP_URL is unset, so no mail could be sent. */
  mailOff: boolean;
}

/**
 * Subscribe an address (from the form on every page). New, unsubscribed or bounced addresses become
 * pending and get a confirmation mail; the page shown afterwards is the same in every case, so the
 * form does not reveal who is subscribed.
 */
export async function subscribe(
  app: App,
  rawEmail: unknown,
  opts: { now?: Date; userId?: number | null; source?: string } = {},
): Promise<SubscribeResult> {
  const email = normaliseEmail(rawEmail);
  if (!email) throw new AppError('invalid', 'That does not look like an email address.', { parameter: 'email' });
  const now = opts.now ?? new Date();
  const iso = now.toISOString();
  let sub = await findSubscriberByEmail(app.db, email);
  if (!sub) {
    sub = await insertSubscriber(app.db, {
      email,
      status: 'pending',
      ...preferenceColumns(DEFAULT_PREFERENCES),
      user_id: opts.userId ?? null,
      source: opts.source ?? 'web',
      created_at: iso,
      updated_at: iso,
      confirmation_sent_at: null,
      confirmed_at: null,
      unsubscribed_at: null,
      suppressed_at: null,
      suppressed_reason: null,
    });
    // Lost a race with a concurrent request for the same address: continue with the stored row.
    sub ??= await findSubscriberByEmail(app.db, email);
    if (!sub) throw new Error(`subscriptions: cannot record ${email}`);
  }
  const mailer = app.mailer;
  if (sub.status === 'active') return { outcome: 'already-active', mailOff: !mailer };
  if (sub.status === 'pending' && sub.confirmation_sent_at) {
    const age = (now.getTime() - Date.parse(sub.confirmation_sent_at)) / 1000;
    if (age >= 0 && age < CONFIRMATION_RESEND_MIN_SECONDS) return { outcome: 'confirmation-recent', mailOff: !mailer };
  }
  await updateSubscriber(app.db, sub.id, { status: 'pending', confirmation_sent_at: iso, updated_at: iso });
  // With mail off the confirmation is kept in the outbox (an admin reads it), as account mail is.
  const mail = buildConfirmationMail({ confirmUrl: confirmUrl(app, sub, now), baseUrl: app.config.baseUrl });
  await deliverMail(app, { to: sub.email, ...mail }, 'subscribe');
  return { outcome: 'confirmation-sent', mailOff: !mailer };
}

/** Confirm from the mail's link. Returns the subscriber, or null for a bad or expired link. */
export async function confirmSubscription(app: App, token: unknown, now = new Date()): Promise<SubscriberRow | null> {
  const sub = await subscriberFromToken(app, 'confirm', token, now);
  if (!sub) return null;
  if (sub.status === 'active') return sub;
  const iso = now.toISOString();
  return (await updateSubscriber(app.db, sub.id, {
    status: 'active',
    confirmed_at: iso,
    unsubscribed_at: null,
    suppressed_at: null,
    suppressed_reason: null,
    updated_at: iso,
  }))!;
}

/** One-click unsubscribe (RFC 8058) or the page's button. Idempotent; null for a bad link. */
export async function unsubscribe(app: App, token: unknown, now = new Date()): Promise<SubscriberRow | null> {
  const sub = await subscriberFromToken(app, 'unsubscribe', token, now);
  if (!sub) return null;
  return unsubscribeSubscriber(app, sub, now);
}

async function unsubscribeSubscriber(app: App, sub: SubscriberRow, now = new Date()): Promise<SubscriberRow> {
  await cancelPendingOutbox(app.db, sub.id);
  if (sub.status === 'unsubscribed') return sub;
  const iso = now.toISOString();
  return (await updateSubscriber(app.db, sub.id, { status: 'unsubscribed', unsubscribed_at: iso, updated_at: iso }))!;
}

/** A permanent (5xx) SMTP failure: stop mailing the address and record why. */
export async function suppressSubscriber(
  app: App,
  subscriberId: number,
  reason: string,
  now = new Date(),
): Promise<void> {
  const iso = now.toISOString();
  await updateSubscriber(app.db, subscriberId, {
    status: 'suppressed',
    suppressed_at: iso,
    suppressed_reason: reason.slice(0, 500),
    updated_at: iso,
  });
  await cancelPendingOutbox(app.db, subscriberId);
}

/** Save preferences (from the token-authorised page or an account's settings). */
export async function savePreferences(
  app: App,
  sub: SubscriberRow,
  input: unknown,
  now = new Date(),
): Promise<{ ok: true; subscriber: SubscriberRow } | { ok: false; errors: string[] }> {
  const v = validatePreferences(input);
  if (!v.ok) return v;
  const row = await updateSubscriber(app.db, sub.id, { ...preferenceColumns(v.value), updated_at: now.toISOString() });
  return { ok: true, subscriber: row! };
}

/** The subscription a logged-in account manages (by account, else by its address). */
export async function subscriptionForUser(app: App, userId: number, email: string): Promise<SubscriberRow | null> {
  return (
    (await findSubscriberByUser(app.db, userId)) ?? (await findSubscriberByEmail(app.db, email.toLowerCase())) ?? null
  );
}

// --- import / export ---

interface ImportReport {
  read: number;
  inserted: number;
  known: number;
  rejected: Array<{ line: number; reason: string }>;
}

/**
 * Import a CSV with a header row: `email` (required), `frequency` (daily|weekly), `topics`
 * ("cs.CL; org:google; keyword:diffusion"), and optionally `hour`, `time_zone`, `count`,
 * `min_upvotes`. Addresses were confirmed elsewhere, so they become active at once. Addresses
 * already known are left untouched: an import never re-subscribes someone who left.
 */
export async function importSubscribersCsv(app: App, input: Readable, now = new Date()): Promise<ImportReport> {
  const report: ImportReport = { read: 0, inserted: 0, known: 0, rejected: [] };
  const iso = now.toISOString();
  const parser = input.pipe(
    parse({
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
      relax_column_count: true,
      info: true,
    }),
  );
  let batch: NewSubscriber[] = [];
  const seen = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    const n = await insertSubscribersIgnoringKnown(app.db, batch);
    report.inserted += n;
    report.known += batch.length - n;
    batch = [];
  };
  let line = 1;
  try {
    for await (const item of parser as AsyncIterable<{
      record: Record<string, string | undefined>;
      info: { lines: number };
    }>) {
      const rec = item.record;
      line = item.info.lines;
      report.read++;
      const email = normaliseEmail(rec.email);
      if (!email) {
        report.rejected.push({
          line,
          reason: `not an email address: ${JSON.stringify(String(rec.email ?? '').slice(0, 80))}`,
        });
        continue;
      }
      if (seen.has(email)) {
        report.rejected.push({ line, reason: `${email} appears twice in the file` });
        continue;
      }
      seen.add(email);
      const topics = parseTopics(rec.topics ?? '');
      const v = validatePreferences({
        frequency: (rec.frequency || DEFAULT_PREFERENCES.frequency).toLowerCase(),
        sendHour: rec.hour || DEFAULT_PREFERENCES.sendHour,
        timeZone: rec.time_zone || DEFAULT_PREFERENCES.timeZone,
        paperCount: rec.count || DEFAULT_PREFERENCES.paperCount,
        minUpvotes: rec.min_upvotes || 0,
        ...topics,
      });
      if (!v.ok) {
        report.rejected.push({ line, reason: `${email}: ${v.errors.join('; ')}` });
        continue;
      }
      batch.push({
        email,
        status: 'active',
        ...preferenceColumns(v.value),
        user_id: null,
        source: 'import',
        created_at: iso,
        updated_at: iso,
        confirmation_sent_at: null,
        confirmed_at: iso,
        unsubscribed_at: null,
        suppressed_at: null,
        suppressed_reason: null,
      });
      if (batch.length >= IMPORT_BATCH_ROWS) await flush();
    }
  } catch (err) {
    throw new AppError('invalid', `subscribers import: CSV line ${line}: ${(err as Error).message}`);
  }
  await flush();
  return report;
}

const EXPORT_COLUMNS = [
  'email',
  'frequency',
  'topics',
  'hour',
  'time_zone',
  'count',
  'min_upvotes',
  'status',
  'confirmed_at',
] as const;

function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every subscriber as CSV lines (header first), streamed page by page; the import reads it back. */
export async function* exportSubscribersCsv(app: App, opts: { all?: boolean } = {}): AsyncGenerator<string> {
  yield `${EXPORT_COLUMNS.join(',')}\n`;
  let afterId = 0;
  for (;;) {
    const page = await subscribersPage(app.db, {
      afterId,
      limit: EXPORT_PAGE_ROWS,
      status: opts.all ? undefined : 'active',
    });
    if (page.length === 0) return;
    let out = '';
    for (const s of page) {
      const p = preferencesOf(s);
      out += `${[s.email, p.frequency, formatTopics(p), p.sendHour, p.timeZone, p.paperCount, p.minUpvotes, s.status, s.confirmed_at].map(csvField).join(',')}\n`;
    }
    yield out;
    afterId = page[page.length - 1].id;
  }
}
