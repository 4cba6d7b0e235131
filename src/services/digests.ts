import { createHmac, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { App } from '../app.js';
import type { DigestRunRow, OutboxRow, SubscriberRow } from '../db/schema.js';
import type { SafeHtml } from '../lib/html-template.js';
import { type BuiltMail, buildDigest, type DigestPaper, paperFragments } from '../mail/digest.js';
import { classifySmtpError, type Mailer, type OutgoingMail, renderMail } from '../mail/transport.js';
import { backoffMs, DEFAULT_BACKOFF_JITTER } from '../model/backoff.js';
import {
  dueDigestDay,
  isDay,
  isSendDay,
  mondayOf,
  type Period,
  periodKey,
  periodKeyDay,
  periodWindow,
} from '../model/digest-period.js';
import { type CandidatePaper, type RankedPaper, rankCandidates, selectForSubscriber } from '../model/digest-select.js';
import { digestCandidates, digestPapersByIds } from '../store/digest-paper-store.js';
import {
  claimOutboxRows,
  createRun,
  deferOutboxRow,
  extendLeases,
  failOutboxRow,
  insertOutboxRows,
  markOutboxSent,
  type NewOutboxRow,
  outboxBacklog,
  outboxCountsByPeriod,
  outboxRowsFor,
  type RunCounters,
  recentRuns,
  releaseOutboxRows,
  renewOutboxLease,
  subscribersWithOutboxRow,
  updateRun,
} from '../store/digest-store.js';
import { countSubscribersByStatus, findSubscriberByEmail, subscribersPage } from '../store/subscriber-store.js';
import { digestAccounts, forYouSection, forYouSections, parseForYou } from './digest-for-you.js';
import { preferencesOf, subscriberLinks, suppressSubscriber } from './subscriptions.js';

/**
 * Sending digests through the durable outbox.
 *
 * 1. Enqueue: every active subscriber due for the period gets one outbox row per period key
 *    (unique), holding the chosen paper ids and a stable Message-ID. A row that exists is kept, so
 *    a re-run of a period enqueues nothing new.
 * 2. Drain: rows are leased to this worker in small batches (atomically: SKIP LOCKED on PostgreSQL,
 *    the write lock on SQLite); a heartbeat keeps the leases alive while the worker lives. Each row
 *    is marked sent in its own write right after the SMTP server accepted it. A row whose worker
 *    died is leased again once its lease runs out.
 *
 * The one residual risk is a crash after the server accepted a message and before the row was
 * marked: that digest is sent again, with the same Message-ID (see README, "Exactly once").
 *
 * @example
 * const report = await sendDigests(app, { period: 'daily', date: '2026-06-16' });
 * report.sent // digests accepted by the SMTP server in this run
 */
/** A leased row is another worker's to take after this long without a heartbeat. */
const DIGEST_LEASE_MS = 120_000;
/** Rows leased per claim: small, so a dead worker strands few rows until its lease runs out. */
const CLAIM_BATCH_ROWS = 50;
/** Messages handed to the SMTP pool at once (twice its connections keeps every connection busy). */
export const SEND_CONCURRENCY = 10;
/** First retry after a temporary (4xx) failure; doubles each attempt, with ±20% jitter. */
const RETRY_BASE_MS = 30_000;
/** Longest wait between two attempts, before jitter. */
const RETRY_MAX_MS = 30 * 60_000;
/** After this many temporary failures a digest is given up (failed, address not suppressed). */
const MAX_SEND_ATTEMPTS = 8;
/** Subscribers read per page when enqueueing (keyset paging). */
const ENQUEUE_PAGE_ROWS = 2000;
/** While waiting for deferred or other workers' rows, look again at least this often. */
const IDLE_POLL_MAX_MS = 5_000;
const IDLE_POLL_MIN_MS = 50;

interface SendOptions {
  period: Period;
  /** The send day, YYYY-MM-DD. Without it, each subscriber's digest is due by their own hour and zone. */
  date?: string;
  dryRun?: boolean;
  /** The instant that decides who is due when no date is given (default: now). */
  at?: Date;
  leaseMs?: number;
  retryBaseMs?: number;
  maxAttempts?: number;
  concurrency?: number;
  /** Keep going until every row is final (waiting out retries); false: one pass, later runs retry. */
  waitForRetries?: boolean;
  /** Stop cleanly: leased rows not yet handed to SMTP are given back. */
  signal?: AbortSignal;
  mailer?: Mailer | null;
  onProgress?: (c: RunCounters) => void;
}

export interface SendReport {
  runId: number | null;
  dryRun: boolean;
  periodKeys: string[];
  /** Rows new in this run (dry run: that would be). */
  enqueued: number;
  /** Subscribers whose filters matched nothing: nothing sent. */
  empty: number;
  /** Subscribers that already had their digest for the period (re-run). */
  alreadyQueued: number;
  sent: number;
  deferred: number;
  failed: number;
  suppressed: Array<{ email: string; reason: string }>;
  /** Rows whose lease this worker lost before it could mark them (should stay 0). */
  lostLeases: number;
  /** Rows another worker had taken over (after this one stalled past its lease): left to it. */
  skippedStolen: number;
  notes: string[];
}

const nowIso = (clock: () => Date) => clock().toISOString();

function messageIdFor(app: App, subscriberId: number, key: string): string {
  const host = new URL(app.config.baseUrl).hostname || 'paperboy.local';
  const tag = createHmac('sha256', app.config.secretKey)
    .update(`message-id\n${subscriberId}\n${key}`)
    .digest('base64url')
    .slice(0, 10);
  return `<digest.${key.replace(/[^A-Za-z0-9-]/g, '.')}.${subscriberId}.${tag}@${host}>`;
}

function toDigestPaper(p: CandidatePaper): DigestPaper {
  return {
    arxivId: p.arxivId,
    title: p.title,
    abstract: p.abstract,
    authorCount: p.authorCount,
    organization: p.organization,
    organizationFullname: p.organizationFullname,
    upvotes: p.upvotes,
  };
}

/** The ranked candidates of one send day, computed once per day per run. */
class RankedCache {
  private byDay = new Map<string, RankedPaper[]>();
  constructor(
    private app: App,
    private period: Period,
  ) {}
  async get(day: string): Promise<RankedPaper[]> {
    let r = this.byDay.get(day);
    if (!r) {
      const w = periodWindow(this.period, day);
      r = rankCandidates(await digestCandidates(this.app.db, w.from, w.to), `${w.to}T00:00:00.000Z`);
      this.byDay.set(day, r);
    }
    return r;
  }
}

/** Which send day a subscriber's digest is for, or null when none is due. */
function sendDayFor(period: Period, sub: SubscriberRow, date: string | undefined, now: Date): string | null {
  if (date) return period === 'weekly' ? mondayOf(date) : isSendDay('daily', date) ? date : null;
  const day = dueDigestDay(period, sub.send_hour, sub.time_zone, now);
  return day;
}

const now = () => new Date();

async function enqueue(app: App, opts: SendOptions, report: SendReport, runId: number | null): Promise<void> {
  const cache = new RankedCache(app, opts.period);
  const keys = new Set<string>();
  let afterId = 0;
  for (;;) {
    const page = await subscribersPage(app.db, {
      afterId,
      limit: ENQUEUE_PAGE_ROWS,
      status: 'active',
      frequency: opts.period,
    });
    if (page.length === 0) break;
    afterId = page[page.length - 1].id;
    const byKey = new Map<string, { day: string; subs: SubscriberRow[] }>();
    // Subscribers with an account get a "For you" section (services/digest-for-you.ts).
    const accounts = opts.dryRun ? new Map() : await digestAccounts(app, page);
    const at = opts.at ?? now();
    for (const sub of page) {
      const day = sendDayFor(opts.period, sub, opts.date, at);
      if (!day) continue;
      const key = periodKey(opts.period, day);
      let g = byKey.get(key);
      if (!g) {
        g = { day, subs: [] };
        byKey.set(key, g);
      }
      g.subs.push(sub);
    }
    for (const [key, g] of byKey) {
      keys.add(key);
      const have = await subscribersWithOutboxRow(
        app.db,
        key,
        g.subs.map((s) => s.id),
      );
      const ranked = await cache.get(g.day);
      const rows: NewOutboxRow[] = [];
      const created = nowIso(now);
      const due = g.subs.filter((sub) => !have.has(sub.id));
      report.alreadyQueued += g.subs.length - due.length;
      const chosen = new Map(due.map((sub) => [sub.id, selectForSubscriber(ranked, preferencesOf(sub))]));
      // The "For you" sections of the page's subscribers with an account, from one shared pass.
      const personal = due.flatMap((sub) => {
        const user = accounts.get(sub.id);
        const papers = chosen.get(sub.id)!;
        return user && papers.length > 0 ? [{ key: sub.id, user, exclude: papers.map((p) => p.id) }] : [];
      });
      const sections = await forYouSections(app, opts.period, g.day, personal).catch((err: Error) => {
        // The recommendations failing must not hold back the digests themselves.
        app.log.warn({ err, subscribers: personal.length }, 'digest: no For you sections for this page');
        return new Map<number, string | null>();
      });
      for (const sub of due) {
        const papers = chosen.get(sub.id)!;
        rows.push({
          subscriber_id: sub.id,
          period_key: key,
          email: sub.email,
          paper_ids: JSON.stringify(papers.map((p) => p.id)),
          for_you: sections.get(sub.id) ?? null,
          message_id: messageIdFor(app, sub.id, key),
          status: papers.length === 0 ? 'empty' : 'pending',
          next_attempt_at: created,
          created_at: created,
          run_id: runId,
        });
      }
      if (opts.dryRun) {
        report.empty += rows.filter((r) => r.status === 'empty').length;
        report.enqueued += rows.filter((r) => r.status === 'pending').length;
        continue;
      }
      // Insert empties and pendings separately to count what this run really added (a parallel
      // sender may insert the same rows first; the unique key keeps theirs).
      const empties = rows.filter((r) => r.status === 'empty');
      const pendings = rows.filter((r) => r.status === 'pending');
      const e = await insertOutboxRows(app.db, empties);
      const p = await insertOutboxRows(app.db, pendings);
      report.empty += e;
      report.enqueued += p;
      report.alreadyQueued += rows.length - e - p;
    }
    if (runId !== null)
      await updateRun(app.db, runId, {
        periodKeys: [...keys].sort(),
        enqueued: report.enqueued,
        empty: report.empty,
        now: nowIso(now),
      });
  }
  report.periodKeys = [...keys].sort();
}

/** The mail for one outbox row (the same bytes on every retry, bar the Date header). */
function digestMailForRow(
  app: App,
  row: Pick<OutboxRow, 'subscriber_id' | 'email' | 'period_key' | 'message_id'>,
  papers: DigestPaper[],
  fragments?: (p: DigestPaper, rank: number) => { html: SafeHtml; text: string },
  forYou: Array<{ paper: DigestPaper; why: string }> = [],
): OutgoingMail & BuiltMail {
  const pk = periodKeyDay(row.period_key);
  if (!pk) throw new Error(`digests: malformed period key ${row.period_key}`);
  const links = subscriberLinks(app, { id: row.subscriber_id, email: row.email });
  const mail = buildDigest(
    { papers, forYou, period: pk.period, day: pk.day, baseUrl: app.config.baseUrl, ...links },
    fragments,
  );
  const host = new URL(app.config.baseUrl).hostname || 'paperboy.local';
  return {
    to: row.email,
    ...mail,
    messageId: row.message_id,
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs
      // "List-Unsubscribe=One-Click" to this URL; the signed token authorises it.
      'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `paperboy ${pk.period} digest <${pk.period}.digest.${host}>`,
      'Auto-Submitted': 'auto-generated',
      Precedence: 'bulk',
      'X-Paperboy-Period': row.period_key,
    },
  };
}

export async function sendDigests(app: App, opts: SendOptions): Promise<SendReport> {
  if (opts.period !== 'daily' && opts.period !== 'weekly')
    throw new Error(`digests: period must be daily or weekly (got ${String(opts.period)})`);
  if (opts.date !== undefined && !isDay(opts.date))
    throw new Error(`digests: --date must be a day as YYYY-MM-DD (got ${opts.date})`);
  const report: SendReport = {
    runId: null,
    dryRun: !!opts.dryRun,
    periodKeys: [],
    enqueued: 0,
    empty: 0,
    alreadyQueued: 0,
    sent: 0,
    deferred: 0,
    failed: 0,
    suppressed: [],
    lostLeases: 0,
    skippedStolen: 0,
    notes: [],
  };
  if (opts.date && opts.period === 'daily' && !isSendDay('daily', opts.date))
    report.notes.push(`${opts.date} is a weekend day: daily digests go out on weekdays only`);
  if (opts.dryRun) {
    await enqueue(app, opts, report, null);
    return report;
  }
  const mailer = opts.mailer === undefined ? app.mailer : opts.mailer;
  if (!mailer)
    throw new Error(
      'digests: mail is off (SMTP_URL is not set). Fix: set SMTP_URL=smtp://user:pass@host:587, or use --dry-run.',
    );
  const worker = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const runId = await createRun(app.db, { period: opts.period, periodKeys: [], worker, now: nowIso(now) });
  report.runId = runId;
  try {
    await enqueue(app, opts, report, runId);
    await drain(app, mailer, worker, runId, opts, report);
    await updateRun(app.db, runId, { ...counters(report), status: 'finished', finished: true, now: nowIso(now) });
  } catch (err) {
    await updateRun(app.db, runId, {
      ...counters(report),
      status: 'failed',
      finished: true,
      error: (err as Error).message.slice(0, 500),
      now: nowIso(now),
    }).catch(() => {});
    throw err;
  }
  return report;
}

function counters(r: SendReport): RunCounters {
  return { enqueued: r.enqueued, empty: r.empty, sent: r.sent, deferred: r.deferred, failed: r.failed };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

async function drain(
  app: App,
  mailer: Mailer,
  worker: string,
  runId: number,
  opts: SendOptions,
  report: SendReport,
): Promise<void> {
  const leaseMs = opts.leaseMs ?? DIGEST_LEASE_MS;
  const backoff = { baseMs: opts.retryBaseMs ?? RETRY_BASE_MS, maxMs: RETRY_MAX_MS, jitter: DEFAULT_BACKOFF_JITTER };
  const maxAttempts = opts.maxAttempts ?? MAX_SEND_ATTEMPTS;
  const concurrency = opts.concurrency ?? SEND_CONCURRENCY;
  const wait = opts.waitForRetries ?? true;
  const papers = new Map<number, CandidatePaper>();
  const fragments = new Map<string, { html: SafeHtml; text: string }>();
  const fragmentFor = (p: DigestPaper, rank: number) => {
    const k = `${p.arxivId}#${rank}`;
    let f = fragments.get(k);
    if (!f) {
      f = paperFragments(p, app.config.baseUrl, rank);
      fragments.set(k, f);
    }
    return f;
  };
  // Leases are good until this instant as far as we know; sending stops well before it.
  let leaseValidUntil = Date.now() + leaseMs;
  let heartbeatError: Error | null = null;
  const heartbeat = setInterval(
    () => {
      const until = Date.now() + leaseMs;
      extendLeases(app.db, worker, new Date(until).toISOString())
        .then(() => {
          leaseValidUntil = until;
          return updateRun(app.db, runId, { ...counters(report), now: nowIso(now) });
        })
        .then(() => opts.onProgress?.(counters(report)))
        .catch((err: Error) => {
          heartbeatError = err;
        });
    },
    Math.max(10, Math.floor(leaseMs / 4)),
  );
  heartbeat.unref();

  let buffer: OutboxRow[] = [];
  let claiming: Promise<void> | null = null;
  const stopped = () => opts.signal?.aborted || heartbeatError !== null;
  const leaseSafe = () => leaseValidUntil - Date.now() > leaseMs / 2;

  async function next(): Promise<OutboxRow | null> {
    for (;;) {
      if (stopped()) return null;
      const row = buffer.shift();
      if (row) return row;
      if (!claiming) {
        claiming = (async () => {
          const at = Date.now();
          const rows = await claimOutboxRows(app.db, {
            owner: worker,
            now: nowIso(now),
            leaseUntil: new Date(at + leaseMs).toISOString(),
            limit: CLAIM_BATCH_ROWS,
            runId,
          });
          leaseValidUntil = Math.max(leaseValidUntil, at + leaseMs);
          const missing = [
            ...new Set(
              rows.flatMap((r) => [
                ...(JSON.parse(r.paper_ids) as number[]),
                ...parseForYou(r.for_you).map((e) => e.id),
              ]),
            ),
          ].filter((id) => !papers.has(id));
          if (missing.length > 0) for (const [id, p] of await digestPapersByIds(app.db, missing)) papers.set(id, p);
          buffer.push(...rows);
          if (rows.length === 0) buffer.push(null as unknown as OutboxRow); // marker: nothing claimable
        })().finally(() => {
          claiming = null;
        });
      }
      await claiming;
      if (buffer[0] === null) {
        buffer.shift();
        return null;
      }
    }
  }

  async function handle(row: OutboxRow): Promise<void> {
    if (!leaseSafe()) {
      await releaseOutboxRows(app.db, [row.id], worker);
      return;
    }
    const ids = JSON.parse(row.paper_ids) as number[];
    const list = ids
      .map((id) => papers.get(id))
      .filter((p): p is CandidatePaper => !!p)
      .map(toDigestPaper);
    if (list.length === 0) {
      await failOutboxRow(app.db, row.id, worker, 'every paper of this digest was withdrawn or deleted');
      report.failed++;
      return;
    }
    const forYou = parseForYou(row.for_you).flatMap((e) => {
      const p = papers.get(e.id);
      return p ? [{ paper: toDigestPaper(p), why: e.why }] : [];
    });
    const mail = digestMailForRow(app, row, list, fragmentFor, forYou);
    // The row must still be ours at the moment it is handed to SMTP: a worker that stalled past its
    // lease (a paused VM, a starved CPU) finds another worker took it, and skips it.
    if (!(await renewOutboxLease(app.db, row.id, worker, new Date(Date.now() + leaseMs).toISOString()))) {
      report.skippedStolen++;
      return;
    }
    try {
      const info = await mailer.send(mail);
      if (!(await markOutboxSent(app.db, row.id, worker, info.response, nowIso(now)))) report.lostLeases++;
      report.sent++;
    } catch (err) {
      const f = classifySmtpError(err);
      if (f.kind === 'permanent') {
        await failOutboxRow(app.db, row.id, worker, f.message);
        await suppressSubscriber(app, row.subscriber_id, f.message);
        report.failed++;
        report.suppressed.push({ email: row.email, reason: f.message });
      } else if (row.attempts + 1 >= maxAttempts) {
        await failOutboxRow(
          app.db,
          row.id,
          worker,
          `gave up after ${row.attempts + 1} temporary failures: ${f.message}`,
        );
        report.failed++;
      } else {
        await deferOutboxRow(
          app.db,
          row.id,
          worker,
          f.message,
          new Date(Date.now() + backoffMs(row.attempts + 1, backoff)).toISOString(),
        );
        report.deferred++;
      }
    }
  }

  try {
    for (;;) {
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let row = await next(); row; row = await next()) await handle(row);
        }),
      );
      if (stopped()) break;
      const backlog = await outboxBacklog(app.db);
      if (backlog.open === 0 || !wait) break;
      const dueIn = backlog.nextDueAt ? Date.parse(backlog.nextDueAt) - now().getTime() : IDLE_POLL_MAX_MS;
      await sleep(Math.min(IDLE_POLL_MAX_MS, Math.max(IDLE_POLL_MIN_MS, dueIn)), opts.signal);
    }
  } finally {
    clearInterval(heartbeat);
    // Rows leased but never handed to SMTP go back at once rather than after the lease.
    const unsent = buffer.filter(Boolean).map((r) => r.id);
    buffer = [];
    await releaseOutboxRows(app.db, unsent, worker).catch(() => {});
  }
  if (heartbeatError) throw new Error(`digests: lost the database while sending: ${(heartbeatError as Error).message}`);
}

/** The digest one address would get for a period (a subscriber's own preferences, else the defaults). */
export async function previewDigest(
  app: App,
  email: string,
  opts: { period?: Period; date: string },
): Promise<{ mail: OutgoingMail & BuiltMail; eml: string; papers: number; subscriber: SubscriberRow | null }> {
  if (!isDay(opts.date)) throw new Error(`digests: --date must be a day as YYYY-MM-DD (got ${opts.date})`);
  const sub = (await findSubscriberByEmail(app.db, email.trim().toLowerCase())) ?? null;
  const period = opts.period ?? sub?.frequency ?? 'daily';
  const day = period === 'weekly' ? mondayOf(opts.date) : opts.date;
  const ranked = await new RankedCache(app, period).get(day);
  const prefs = sub
    ? preferencesOf(sub)
    : { paperCount: 10, categories: [], keywords: [], organizations: [], minUpvotes: 0 };
  const chosen = selectForSubscriber(ranked, prefs).map(toDigestPaper);
  const key = periodKey(period, day);
  const id = sub?.id ?? 0;
  // The subscriber's "For you" section as a send would store it (none without a matched account).
  const user = sub && chosen.length > 0 ? (await digestAccounts(app, [sub])).get(sub.id) : undefined;
  const entries = parseForYou(
    user
      ? await forYouSection(
          app,
          user,
          period,
          day,
          selectForSubscriber(ranked, prefs).map((p) => p.id),
        )
      : null,
  );
  const found = await digestPapersByIds(
    app.db,
    entries.map((e) => e.id),
  );
  const forYou = entries.flatMap((e) => {
    const p = found.get(e.id);
    return p ? [{ paper: toDigestPaper(p), why: e.why }] : [];
  });
  const mail = digestMailForRow(
    app,
    { subscriber_id: id, email: sub?.email ?? email, period_key: key, message_id: messageIdFor(app, id, key) },
    chosen,
    undefined,
    forYou,
  );
  return { mail, eml: renderMail(app.config.mailFrom, mail), papers: chosen.length, subscriber: sub };
}

interface DigestStatus {
  runs: Array<DigestRunRow & { stale: boolean }>;
  periods: Array<{ periodKey: string; counts: Record<string, number> }>;
  failures: Array<{ email: string; periodKey: string; error: string | null }>;
  subscribers: Record<string, number>;
}

/** A running run whose heartbeat is older than this was killed (or its host died). */
const RUN_STALE_AFTER_MS = 2 * DIGEST_LEASE_MS;

/** Recent runs, per-period outbox counts and recent failures: what `paperboy digest status` prints. */
export async function digestStatus(
  app: App,
  opts: { runs?: number; periods?: number; failures?: number } = {},
): Promise<DigestStatus> {
  const runs = (await recentRuns(app.db, opts.runs ?? 10)).map((r) => ({
    ...r,
    stale: r.status === 'running' && Date.now() - Date.parse(r.heartbeat_at) > RUN_STALE_AFTER_MS,
  }));
  const byPeriod = new Map<string, Record<string, number>>();
  for (const r of await outboxCountsByPeriod(app.db, opts.periods ?? 10)) {
    const c = byPeriod.get(r.period_key) ?? {};
    c[r.status] = r.n;
    byPeriod.set(r.period_key, c);
  }
  const failed = await outboxRowsFor(app.db, { status: 'failed' }, opts.failures ?? 20, 'desc');
  return {
    runs,
    periods: [...byPeriod].map(([periodKey, counts]) => ({ periodKey, counts })),
    failures: failed.map((f) => ({ email: f.email, periodKey: f.period_key, error: f.last_error })),
    subscribers: await countSubscribersByStatus(app.db),
  };
}
