import type { App } from '../app.js';
import type { ReaderSignalKind, ReaderSignalRow } from '../db/schema.js';
import { AppError } from '../lib/app-error.js';
import { hashToken, newToken } from '../lib/secret-token.js';
import type { Actor } from '../model/actor.js';
import { addDays } from '../model/dates.js';
import { diversify, poolSize } from '../recs/diversify.js';
import { explain } from '../recs/explain.js';
import {
  authorKey,
  MIN_SIGNALS_FOR_MODEL,
  type PositiveSignal,
  type ReaderSignals,
  type RecsPaper,
  type Scored,
  scoreMatrix,
  trainProfile,
} from '../recs/model.js';
import { type ReaderText, textSims } from '../recs/reader-text.js';
import { findPaperById } from '../store/community-paper-store.js';
import { type PaperCard, papersByIds } from '../store/listing-store.js';
import {
  addReaderSignal,
  anyReaderSignals,
  feedTokenUser,
  insertFeedToken,
  liveFeedTokens,
  newestPublishedAt,
  type PaperActionKind,
  readerPaperActions,
  readerPaperActionsOf,
  readerSignals,
  readerSignalsOf,
  recentPaperIds,
  removeReaderSignal,
  revokeFeedTokens,
} from '../store/reader-signal-store.js';
import { findUserById } from '../store/user-store.js';
import { requireUser, requireWriter, toActor } from './accounts.js';
import {
  addExtraReps,
  type CandidateSet,
  candidateSet,
  dayNumber,
  matrixOf,
  readerTextOf,
  unchangedCandidateSet,
  warmCandidateSet,
} from './recs-candidates.js';

/**
 * "For you" (issue #17): a reader's signals, and the papers recommended from them with the reason
 * for each. The model is src/recs/ (pure); this file gathers the signals and the candidates.
 */

/** Signals the model reads, newest first (older ones beyond this weigh almost nothing anyway). */
const MAX_MODEL_SIGNALS = 200;
/** Candidates considered per request, newest first. */
export const MAX_CANDIDATES = 5000;
/** Papers on a /for-you page. */
export const FOR_YOU_PAGE = 30;
export const MAX_FOR_YOU_LIMIT = 100;
/** Longest text of a saved search or a muted topic. */
export const MAX_SIGNAL_TEXT = 200;

export type Period = 'day' | 'week';
const PERIOD_DAYS: Record<Period, number> = { day: 1, week: 7 };

const CATEGORY = /^[a-z-]+(?:\.[A-Za-z-]+)?$/;

/** What a reader may add by name (papers go through their own forms: mute_paper, seed). */
export type TextSignalKind = Exclude<ReaderSignalKind, 'mute_paper' | 'seed'>;
const TEXT_KINDS: readonly TextSignalKind[] = [
  'follow_author',
  'follow_org',
  'follow_category',
  'follow_search',
  'mute_author',
  'mute_topic',
];

export function isSignalKind(k: string): k is ReaderSignalKind {
  return (TEXT_KINDS as readonly string[]).includes(k) || k === 'mute_paper' || k === 'seed';
}

/** The stored value of a signal typed by the reader; throws a 400 naming `parameter` when it cannot be one. */
function signalValue(kind: TextSignalKind, input: string, parameter = 'value'): { value: string; label: string } {
  const label = input.replace(/\s+/g, ' ').trim();
  if (!label) throw new AppError('invalid', 'Say what to follow or mute.', { parameter });
  if (label.length > MAX_SIGNAL_TEXT)
    throw new AppError('invalid', `At most ${MAX_SIGNAL_TEXT} characters.`, { parameter });
  switch (kind) {
    case 'follow_author':
    case 'mute_author': {
      const key = authorKey(label);
      if (!key) throw new AppError('invalid', 'An author needs a name with letters.', { parameter });
      return { value: key, label };
    }
    case 'follow_category':
      if (!CATEGORY.test(label)) throw new AppError('invalid', 'A category looks like cs.CL or hep-th.', { parameter });
      return { value: label, label };
    case 'follow_org':
      return { value: label, label };
    default:
      return { value: label.toLowerCase(), label };
  }
}

/** Follow, mute or seed by text (an author, an organisation, a category, a search, a topic). */
export async function addTextSignal(app: App, actor: Actor, kind: TextSignalKind, input: string): Promise<boolean> {
  const me = requireWriter(actor);
  const { value, label } = signalValue(kind, input);
  return addReaderSignal(app.db, me.id, kind, value, label, app.clock.now().toISOString());
}

/** True when the reader (signed in) has this text signal, e.g. follows this author. */
export async function hasTextSignal(app: App, actor: Actor, kind: TextSignalKind, input: string): Promise<boolean> {
  if (actor.kind !== 'user') return false;
  const { value } = signalValue(kind, input);
  return (await readerSignals(app.db, actor.id)).some((s) => s.kind === kind && s.value === value);
}

/** "Not interested" in a paper, or "more like this" one. */
export async function addPaperSignal(
  app: App,
  actor: Actor,
  kind: 'mute_paper' | 'seed',
  paperId: number,
): Promise<boolean> {
  const me = requireWriter(actor);
  const paper = await findPaperById(app.db, paperId);
  if (!paper) throw new AppError('not_found', 'No such paper.');
  const at = app.clock.now().toISOString();
  // The two cancel each other: asking for more like a paper takes back "not interested", and so on.
  await removeReaderSignal(app.db, me.id, kind === 'seed' ? 'mute_paper' : 'seed', String(paperId));
  return addReaderSignal(app.db, me.id, kind, String(paperId), paper.title, at);
}

export async function removeSignal(app: App, actor: Actor, kind: ReaderSignalKind, value: string): Promise<boolean> {
  const me = requireWriter(actor);
  return removeReaderSignal(app.db, me.id, kind, value);
}

export interface SignalList {
  signals: Array<{ kind: ReaderSignalKind; value: string; label: string; createdAt: string }>;
  upvoted: number;
  saved: number;
  authored: number;
}

/** Everything the model reads about the reader, for settings (each row removable). */
export async function listSignals(app: App, actor: Actor): Promise<SignalList> {
  const me = requireUser(actor);
  const [rows, actions] = await Promise.all([
    readerSignals(app.db, me.id),
    readerPaperActions(app.db, me.id, MAX_MODEL_SIGNALS),
  ]);
  return {
    signals: rows.map((r) => ({ kind: r.kind, value: r.value, label: r.label, createdAt: r.created_at })),
    upvoted: actions.filter((a) => a.kind === 'upvote').length,
    saved: actions.filter((a) => a.kind === 'save').length,
    authored: actions.filter((a) => a.kind === 'authored').length,
  };
}

export interface Recommendation {
  card: PaperCard;
  score: number;
  why: string;
}

export interface Recommendations {
  period: Period;
  /** True when the reader has too few signals: the list is trending, and `note` says so. */
  fallback: boolean;
  note: string | null;
  items: Recommendation[];
}

/**
 * The reader's recommendations for the day or the week: the candidates are papers published in the
 * period (ending at the newest paper's date on a site fed an old archive), scored by the reader's
 * profile, diversified, each with its reason. With fewer than MIN_SIGNALS_FOR_MODEL signals and no
 * follows, the list is the period's most upvoted papers, and `note` says why. The candidates' rows
 * come from the App's cache (services/recs-candidates.ts); the reader's profile is trained anew on
 * every call, so a signal counts from the next request on.
 *
 * `window` (days, [from, to)) replaces the period's bounds: a digest recommends from the papers
 * of the days it covers, as of its send day.
 *
 * @example
 * const r = await recommendations(app, actor, { period: 'week', limit: 30 });
 * r.items[0].why // "by Ashish Vaswani, an author you follow"
 */
export async function recommendations(
  app: App,
  actor: Actor,
  opts: { period: Period; limit: number; window?: { from: string; to: string } },
): Promise<Recommendations> {
  const me = requireUser(actor);
  let since: string;
  let until: string | null = null;
  let anchor: string;
  if (opts.window) {
    since = `${opts.window.from}T00:00:00.000Z`;
    until = `${opts.window.to}T00:00:00.000Z`;
    anchor = until;
  } else ({ since, anchor } = await periodBounds(app, opts.period));
  const [set, actions, explicit] = await Promise.all([
    periodSet(app, since, until),
    readerPaperActions(app.db, me.id, MAX_MODEL_SIGNALS),
    readerSignals(app.db, me.id),
  ]);
  const rows = { actions, explicit };
  await addExtraReps(app, set, paperIdsOf(rows));
  const { signals, followedOrgs } = readerSignalsOver(set, rows);
  const today = dayNumber(anchor);
  // The text part of the profile is kept per reader between requests (ReaderText: a new signal
  // costs its own paper's similarities, not a rebuild from all of them); a digest's window, seen
  // once per reader, is computed whole instead of filling the cache.
  const text = opts.window ? undefined : readerTextOf(set, me.id, today);
  if (tooFew(signals, followedOrgs)) {
    // Too little to learn from: the period's most upvoted papers (mutes still apply), said plainly.
    const scored = scoreReader(set, signals, followedOrgs, today, undefined, text);
    const cards = await papersByIds(
      app.db,
      scored.map((s) => s.paper.id),
    );
    const items = cards
      .sort((a, b) => b.upvotes - a.upvotes || (a.publishedAt! < b.publishedAt! ? 1 : -1))
      .slice(0, opts.limit)
      .map((card) => ({ card, score: card.upvotes, why: `trending: ${card.upvotes} upvotes` }));
    return {
      period: opts.period,
      fallback: true,
      note:
        signals.positives.length === 0
          ? 'Trending papers: you have no signals yet. Upvote, save or follow, and this page learns what you like.'
          : 'Trending papers: one signal is too few to learn from. Upvote, save or follow a little more.',
      items,
    };
  }
  const page = readerPage(set, signals, followedOrgs, today, opts.limit, text);
  // Cards (upvotes, comments) are read fresh for the page only.
  const cards = new Map(
    (
      await papersByIds(
        app.db,
        page.items.map((s) => s.paper.id),
      )
    ).map((c) => [c.id, c]),
  );
  return {
    period: opts.period,
    fallback: false,
    note: null,
    items: page.items
      .filter((s) => cards.has(s.paper.id))
      .map((s) => {
        const org = cards.get(s.paper.id)!.organization;
        return {
          card: cards.get(s.paper.id)!,
          score: s.score,
          why: page.why(s, org ? (org.fullname ?? org.name) : null),
        };
      }),
  };
}

/** Where the period starts, and the moment it ends at (now, or the newest paper's date on a site fed an old archive). */
async function periodBounds(app: App, period: Period): Promise<{ since: string; anchor: string }> {
  const now = app.clock.now();
  const newest = await newestPublishedAt(app.db);
  const anchor = newest && newest < now.toISOString() ? newest : now.toISOString();
  return { since: `${addDays(anchor.slice(0, 10), -(PERIOD_DAYS[period] - 1))}T00:00:00.000Z`, anchor };
}

/**
 * Builds the week's and the day's candidate sets in the background after a start (serve.ts), in
 * slices (recs-candidates.ts, warmCandidateSet), so the first `/for-you` after a start does not
 * wait for them (~12 s at 5,000 candidates on a loaded machine). Skipped when no reader has a
 * signal: then every page is trending and no set is needed. Returns the periods warmed.
 */
export async function warmForYou(app: App): Promise<Period[]> {
  if (!(await anyReaderSignals(app.db))) return [];
  const warmed: Period[] = [];
  for (const period of ['week', 'day'] as const) {
    const { since } = await periodBounds(app, period);
    const seq = app.contentVersion.mark();
    const ids = await recentPaperIds(app.db, since, MAX_CANDIDATES, null);
    if (await warmCandidateSet(app, periodKey(since, null), ids, seq)) warmed.push(period);
  }
  return warmed;
}

function periodKey(since: string, until: string | null): string {
  return `${since}/${until ?? ''}`;
}

/** The candidate set of the papers published in [since, until) (until null: up to now), cached. */
async function periodSet(app: App, since: string, until: string | null): Promise<CandidateSet> {
  const key = periodKey(since, until);
  const seq = app.contentVersion.mark();
  return (
    (await unchangedCandidateSet(app, key)) ??
    candidateSet(app, key, await recentPaperIds(app.db, since, MAX_CANDIDATES, until), seq)
  );
}

/** What the model reads of one reader, as the stores return it. */
interface ReaderRows {
  actions: ReadonlyArray<{ paper_id: number; kind: PaperActionKind; at: string }>;
  explicit: readonly ReaderSignalRow[];
}

/** The papers a reader's rows name (their rows must be in the set before `readerSignalsOver`). */
function paperIdsOf(rows: ReaderRows): number[] {
  const ids = new Set(rows.actions.map((a) => a.paper_id));
  for (const s of rows.explicit) if (s.kind === 'seed' || s.kind === 'mute_paper') ids.add(Number(s.value));
  return [...ids];
}

/** The reader's signals over the set's rows (a paper without a row, gone since, is left out). */
function readerSignalsOver(set: CandidateSet, rows: ReaderRows): { signals: ReaderSignals; followedOrgs: Set<string> } {
  const { actions, explicit } = rows;
  const rep = (id: number) => set.reps.get(id)!;
  const positives: PositiveSignal[] = [
    ...actions
      .filter((a) => set.reps.has(a.paper_id))
      .map((a) => ({ paper: rep(a.paper_id), kind: a.kind, day: dayNumber(a.at) })),
    ...explicit
      .filter((s) => s.kind === 'seed' && set.reps.has(Number(s.value)))
      .map((s) => ({ paper: rep(Number(s.value)), kind: 'seed' as const, day: dayNumber(s.created_at) })),
  ];
  const of = (k: ReaderSignalKind) => explicit.filter((s) => s.kind === k);
  const signals: ReaderSignals = {
    positives,
    dismissed: of('mute_paper')
      .map((s) => Number(s.value))
      .filter((id) => set.reps.has(id))
      .map(rep),
    followedAuthors: new Set(of('follow_author').map((s) => s.value)),
    followedCategories: new Set(of('follow_category').map((s) => s.value)),
    savedSearches: of('follow_search').map((s) => ({ label: s.label, vec: set.vectorizer.transform(s.value) })),
    mutedAuthors: new Set(of('mute_author').map((s) => s.value)),
    mutedTopics: of('mute_topic').map((s) => s.value),
  };
  return { signals, followedOrgs: new Set(of('follow_org').map((s) => s.value.toLowerCase())) };
}

/** Fewer than MIN_SIGNALS_FOR_MODEL liked papers and no follows: trending instead, said so. */
function tooFew(signals: ReaderSignals, followedOrgs: ReadonlySet<string>): boolean {
  const follows =
    signals.followedAuthors.size + signals.followedCategories.size + signals.savedSearches.length + followedOrgs.size;
  return signals.positives.length < MIN_SIGNALS_FOR_MODEL && follows === 0;
}

/**
 * The set's candidates scored for the reader (`limit`: the best so many). The text similarities
 * come from the reader's kept ReaderText when given, else are computed whole (textSims).
 */
function scoreReader(
  set: CandidateSet,
  signals: ReaderSignals,
  followedOrgs: ReadonlySet<string>,
  today: number,
  limit: number | undefined,
  text: ReaderText | undefined,
) {
  const matrix = matrixOf(set);
  const profile = trainProfile(signals, set.vectorizer.features, today, { text: false });
  const sims = matrix.work.sims;
  const hasText = text ? text.sims(signals, sims) : textSims(matrix, signals, today, sims);
  const followsOrg = (id: number) => {
    const org = set.orgs.get(id);
    return !!org && followedOrgs.has(org);
  };
  const scored = scoreMatrix(profile, matrix, today, (p: RecsPaper) => set.texts.get(p.id) ?? '', {
    sims: hasText ? sims : undefined,
    limit,
    // An organisation followed lifts its papers (the model knows papers, not organisations).
    bonus: followedOrgs.size > 0 ? (p) => (followsOrg(p.id) ? ORG_FOLLOW_BONUS : 0) : undefined,
  });
  return Object.assign(scored, { profile, followsOrg });
}

/**
 * The reader's page: scored, diversified, and how to say why for each (given the paper's
 * organisation as shown, for "from …, an organisation you follow"). Pure of the database.
 */
export function readerPage(
  set: CandidateSet,
  signals: ReaderSignals,
  followedOrgs: ReadonlySet<string>,
  today: number,
  limit: number,
  text?: ReaderText,
  stop?: { skip: ReadonlySet<number>; enough: number },
): { items: Scored[]; why: (s: Scored, org: string | null) => string } {
  const scored = scoreReader(set, signals, followedOrgs, today, poolSize(limit), text);
  return {
    items: diversify(scored, limit, undefined, stop),
    why: (s, org) =>
      org && scored.followsOrg(s.paper.id) && !s.parts.followedAuthor
        ? `from ${org}, an organisation you follow`
        : explain(s, scored.profile),
  };
}

/**
 * Recommendations for many readers at once from the papers of one window (a digest's "For you"
 * sections): the window's candidate set and matrix are shared, every reader's rows are read in
 * two queries, and each reader costs one scoring pass. Readers with too little to learn from get
 * nothing (null: their digest is trending already). Returns, by each entry's `key`, the page (at
 * most `limit`, without `exclude`) with the reason of each paper.
 */
export async function windowRecommendations(
  app: App,
  window: { from: string; to: string },
  readers: ReadonlyArray<{ key: number; userId: number; limit: number; exclude: readonly number[] }>,
): Promise<Map<number, Array<{ id: number; why: string }> | null>> {
  const out = new Map<number, Array<{ id: number; why: string }> | null>();
  if (readers.length === 0) return out;
  const until = `${window.to}T00:00:00.000Z`;
  const userIds = [...new Set(readers.map((r) => r.userId))];
  const [set, actions, explicit] = await Promise.all([
    periodSet(app, `${window.from}T00:00:00.000Z`, until),
    readerPaperActionsOf(app.db, userIds, MAX_MODEL_SIGNALS),
    readerSignalsOf(app.db, userIds),
  ]);
  const rowsOf = (id: number): ReaderRows => ({ actions: actions.get(id) ?? [], explicit: explicit.get(id) ?? [] });
  await addExtraReps(app, set, [...new Set(userIds.flatMap((id) => paperIdsOf(rowsOf(id))))]);
  const today = dayNumber(until);
  for (const r of readers) {
    const rows = rowsOf(r.userId);
    if (rows.actions.length === 0 && rows.explicit.length === 0) {
      out.set(r.key, null); // no signals at all: no work
      continue;
    }
    const { signals, followedOrgs } = readerSignalsOver(set, rows);
    if (tooFew(signals, followedOrgs)) {
      out.set(r.key, null);
      continue;
    }
    try {
      const skip = new Set(r.exclude);
      const page = readerPage(set, signals, followedOrgs, today, r.limit + skip.size, undefined, {
        skip,
        enough: r.limit,
      });
      out.set(
        r.key,
        page.items
          .filter((s) => !skip.has(s.paper.id))
          .slice(0, r.limit)
          .map((s) => ({ id: s.paper.id, why: page.why(s, set.orgLabels.get(s.paper.id) ?? null) })),
      );
    } catch (err) {
      // One reader's recommendations failing must not hold back the others'.
      app.log.warn({ err, user: r.userId }, 'recs: no recommendations for this reader');
      out.set(r.key, null);
    }
  }
  return out;
}

/** Log-odds lift of a paper from a followed organisation (as a followed author's, model.ts). */
const ORG_FOLLOW_BONUS = 3;

/** Prefix of private feed tokens (so a leaked one is recognisable in logs and scanners). */
const FEED_TOKEN_PREFIX = 'pbf_';

/**
 * A new private feed address for the reader: one live token at a time, so making a new one
 * revokes the old address. Returns the token; only its hash is kept.
 */
export async function createFeedToken(app: App, actor: Actor): Promise<string> {
  const me = requireWriter(actor);
  const at = app.clock.now().toISOString();
  await revokeFeedTokens(app.db, me.id, at);
  const token = newToken(FEED_TOKEN_PREFIX);
  await insertFeedToken(app.db, me.id, hashToken(token), at);
  return token;
}

export async function revokeFeed(app: App, actor: Actor): Promise<number> {
  const me = requireWriter(actor);
  return revokeFeedTokens(app.db, me.id, app.clock.now().toISOString());
}

export async function hasFeed(app: App, actor: Actor): Promise<{ createdAt: string } | null> {
  const me = requireUser(actor);
  const live = await liveFeedTokens(app.db, me.id);
  return live.length > 0 ? { createdAt: live[live.length - 1].created_at } : null;
}

/**
 * The recommendations behind a private feed address: its token stands for the reader, read-only.
 * An unknown or revoked token, or a banned reader, is "not found" (the address says nothing).
 */
export async function feedRecommendations(
  app: App,
  token: string,
  period: Period,
): Promise<Recommendations & { username: string }> {
  const userId = token.startsWith(FEED_TOKEN_PREFIX) ? await feedTokenUser(app.db, hashToken(token)) : undefined;
  const user = userId === undefined ? undefined : await findUserById(app.db, userId);
  if (!user || user.banned) throw new AppError('not_found', 'No such feed.');
  const r = await recommendations(app, toActor(user, 'read'), { period, limit: FOR_YOU_PAGE });
  return { ...r, username: user.username };
}
