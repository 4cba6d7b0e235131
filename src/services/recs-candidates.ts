import type { App } from '../app.js';
import { type CandidateMatrix, candidateMatrix } from '../recs/matrix.js';
import { authorKey, type RecsPaper } from '../recs/model.js';
import { ReaderText } from '../recs/reader-text.js';
import { TfidfVectorizer } from '../recs/tfidf.js';
import { type PaperCard, papersByIds } from '../store/listing-store.js';

/**
 * The candidate papers of a "For you" period as the model sees them (TF-IDF rows, authors,
 * categories, organisation, text for muted topics), built once and shared by every reader's request
 * and by the digests. Fitting the vectorizer on ≤ MAX_CANDIDATES abstracts is the expensive part of
 * a recommendation (seconds of CPU at 5,000 papers, most of it counting bigrams); scoring one reader
 * over the cached rows takes milliseconds. The period's ids are read again (one indexed query of up
 * to 5,000 rows) only when something changed what lists hold (app.contentVersion: an import, a
 * submission, a moderation; votes do not) or IDS_RECHECK_MS passed; the same ids reuse the set; new ids (an import) are transformed with the set's vocabulary and
 * added, the ids gone dropped, so a new paper costs its own row only. The vocabulary and idf are fit
 * anew once the set is REFIT_AFTER_MS old, which is also when an edited title or abstract is seen:
 * in the background (`refit`), a few milliseconds of work per turn of the event loop, while every
 * request goes on being answered from the old set; the new set replaces it in one assignment when
 * it is whole. Only a process's very first request for a period builds a set on the request path
 * (there is nothing older to answer from). Card data that changes often (upvotes) is never read
 * from here.
 *
 * @example
 * const set = (await unchangedCandidateSet(app, key)) ?? (await candidateSet(app, key, ids, seq));
 * set.reps.get(ids[0])?.vec // the paper's TF-IDF row
 */
const REFIT_AFTER_MS = 60 * 60_000;
/** Even with no change announced, the ids are read again after this long (a writer that forgot to announce). */
const IDS_RECHECK_MS = 60_000;
/** Sets kept at once: the day's, the week's, and a digest's window or two. */
const MAX_SETS = 4;
/** Rows of papers outside the candidates (a reader's older liked papers) kept per set. */
const MAX_EXTRA_REPS = 50_000;
/** Readers whose text similarities (ReaderText, ~80 KB each at 5,000 candidates) a set keeps. */
const MAX_READERS_PER_SET = 256;
/** A background refit works this long before it lets the event loop serve requests again. */
const REFIT_SLICE_MS = 4;

/**
 * TF-IDF for the site's own candidates. Unlike arxiv-sanity-lite's (fit on 75k papers), the
 * corpus here may be a small site's week, so rare terms are kept and only near-universal ones drop.
 */
const SITE_TFIDF = { maxFeatures: 20_000, maxDf: 0.5, minDf: 1 };

export interface CandidateSet {
  ids: readonly number[];
  vectorizer: TfidfVectorizer;
  /** Candidates and, added on demand, other papers readers acted on. */
  reps: Map<number, RecsPaper>;
  /** Lower-cased "title abstract" of every paper in `reps` (muted topics match here). */
  texts: Map<number, string>;
  /** Lower-cased organisation name of each candidate, or null. */
  orgs: Map<number, string | null>;
  /** The organisation of each candidate as shown (its full name, else its name), when it has one. */
  orgLabels: Map<number, string>;
  builtAt: number;
  extras: number;
  /** The content version (app.contentVersion) and the time at which `ids` were last read. */
  seq: number;
  checkedAt: number;
  /** The candidates (`ids` that have a row) as a matrix, made on first use (see `matrixOf`). */
  matrix?: CandidateMatrix;
  /** Readers' text similarities over `matrix`, most recently used last. */
  readers: Map<number, ReaderText>;
}

export function dayNumber(iso: string): number {
  return Math.floor(Date.parse(iso) / 86_400_000);
}

function representation(card: PaperCard, vectorizer: TfidfVectorizer): RecsPaper {
  return {
    id: card.id,
    vec: vectorizer.transform(`${card.title}. ${card.abstract}`),
    categories: card.categories,
    authors: card.authors.map(authorKey),
    authorNames: card.authors,
    listedDay: dayNumber(card.publishedAt ?? '1970-01-01T00:00:00Z'),
    title: card.title,
  };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The process's cached candidate sets (one field of the App). */
export class RecsCandidateCache {
  readonly sets = new Map<string, Promise<CandidateSet>>();
  /** Background refits under way, by key (one at a time per key). */
  readonly refits = new Map<string, Promise<void>>();
  /** Sets fit anew (on a request, or in the background), and sets updated with new papers (for the benchmark and the tests). */
  builds = 0;
  refitted = 0;
  /** Sets built by the start-up warm-up (warmCandidateSet). */
  warmed = 0;
  updates = 0;
  /** How a background refit lets requests run between its slices (a test holds it here to look in the middle). */
  pause: () => Promise<void> = () => new Promise<void>((resolve) => setImmediate(resolve));
}

function addCards(set: CandidateSet, cards: readonly PaperCard[]): void {
  for (const c of cards) {
    set.reps.set(c.id, representation(c, set.vectorizer));
    set.texts.set(c.id, `${c.title} ${c.abstract}`.toLowerCase());
    set.orgs.set(c.id, c.organization ? c.organization.name.toLowerCase() : null);
    if (c.organization) set.orgLabels.set(c.id, c.organization.fullname ?? c.organization.name);
  }
}

/** A set for `ids` with its vocabulary fit and no papers added yet. */
function emptySet(ids: readonly number[], vectorizer: TfidfVectorizer, seq: number): CandidateSet {
  const now = Date.now();
  return {
    ids,
    vectorizer,
    reps: new Map(),
    texts: new Map(),
    orgs: new Map(),
    orgLabels: new Map(),
    builtAt: now,
    extras: 0,
    seq,
    checkedAt: now,
    readers: new Map(),
  };
}

async function build(app: App, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const cards = await papersByIds(app.db, [...ids]);
  const vectorizer = TfidfVectorizer.fit(
    cards.map((c) => `${c.title}. ${c.abstract}`),
    SITE_TFIDF,
  );
  const set = emptySet(ids, vectorizer, seq);
  addCards(set, cards);
  app.recsCandidates.builds++;
  return set;
}

/**
 * The set for `key` fit anew from `old`'s ids, in slices of REFIT_SLICE_MS between which requests
 * are served (from `old`, still in the cache); swapped in whole at the end. Its ids are marked
 * unchecked, so the next request reads them again and adds what arrived meanwhile.
 */
function refit(app: App, key: string, old: CandidateSet): void {
  const cache = app.recsCandidates;
  if (cache.refits.has(key)) return;
  const job = (async () => {
    const set = await fitInSlices(app, old.ids, old.seq);
    set.checkedAt = 0;
    // Swapped in only if the key is still cached (a set evicted meanwhile is not brought back).
    if (cache.sets.has(key)) cache.sets.set(key, Promise.resolve(set));
    cache.refitted++;
  })()
    .catch((err: Error) => app.log.warn({ err, key }, 'recs: background refit failed; the old vocabulary stays'))
    .finally(() => cache.refits.delete(key));
  cache.refits.set(key, job);
}

/** A set for `ids` fit in slices of REFIT_SLICE_MS, the event loop serving requests between them. */
async function fitInSlices(app: App, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const cache = app.recsCandidates;
  const cards = await papersByIds(app.db, [...ids]);
  const steps = TfidfVectorizer.fitSteps(
    cards.map((c) => `${c.title}. ${c.abstract}`),
    SITE_TFIDF,
  );
  let vectorizer: TfidfVectorizer | null = null;
  while (!vectorizer) {
    const until = performance.now() + REFIT_SLICE_MS;
    while (!vectorizer && performance.now() < until) {
      const r = steps.next();
      if (r.done) vectorizer = r.value;
    }
    await cache.pause();
  }
  const set = emptySet(ids, vectorizer, seq);
  for (let i = 0; i < cards.length; ) {
    const until = performance.now() + REFIT_SLICE_MS;
    const from = i;
    while (i < cards.length && performance.now() < until) i++;
    addCards(set, cards.slice(from, i));
    await cache.pause();
  }
  return set;
}

/**
 * Builds the set for `key` (the period's bounds, holding `ids` read at content version `seq`) in
 * the background, in slices, when no request has one yet: what a process's first `/for-you` would
 * otherwise build on its request path (seconds at 5,000 candidates). A request that comes first
 * builds its own, and the warmed one is then dropped.
 */
export async function warmCandidateSet(app: App, key: string, ids: readonly number[], seq: number): Promise<boolean> {
  const cache = app.recsCandidates;
  if (cache.sets.has(key)) return false;
  const set = await fitInSlices(app, ids, seq);
  if (cache.sets.has(key)) return false;
  cache.sets.set(key, Promise.resolve(set));
  while (cache.sets.size > MAX_SETS) cache.sets.delete(cache.sets.keys().next().value!);
  cache.warmed++;
  return true;
}

/** The candidates of `set` as a matrix (made once per set: the rows are shared by every reader). */
export function matrixOf(set: CandidateSet): CandidateMatrix {
  set.matrix ??= candidateMatrix(
    set.ids.filter((id) => set.reps.has(id)).map((id) => set.reps.get(id)!),
    set.vectorizer.features,
  );
  return set.matrix;
}

/** The reader's text similarities over `set` as of `today`, kept between their requests. */
export function readerTextOf(set: CandidateSet, userId: number, today: number): ReaderText {
  let rt = set.readers.get(userId);
  if (rt?.today !== today) rt = new ReaderText(matrixOf(set), today);
  set.readers.delete(userId);
  set.readers.set(userId, rt);
  while (set.readers.size > MAX_READERS_PER_SET) set.readers.delete(set.readers.keys().next().value!);
  return rt;
}

/** The old set's rows for the ids it shares with `ids`, new rows for the rest, the same vocabulary. */
async function update(app: App, old: CandidateSet, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const set: CandidateSet = {
    ...old,
    ids,
    reps: new Map(),
    texts: new Map(),
    orgs: new Map(),
    orgLabels: new Map(),
    extras: 0,
    seq,
    checkedAt: Date.now(),
    matrix: undefined,
    readers: new Map(),
  };
  const fresh: number[] = [];
  for (const id of ids) {
    const r = old.reps.get(id);
    if (r && old.orgs.has(id)) {
      set.reps.set(id, r);
      set.texts.set(id, old.texts.get(id)!);
      set.orgs.set(id, old.orgs.get(id)!);
      const label = old.orgLabels.get(id);
      if (label !== undefined) set.orgLabels.set(id, label);
    } else fresh.push(id);
  }
  addCards(set, await papersByIds(app.db, fresh));
  app.recsCandidates.updates++;
  return set;
}

/**
 * The cached set for `key` (the period's bounds) when nothing could have changed its ids since they
 * were read (see above), else null: then read them and call `candidateSet`.
 */
export async function unchangedCandidateSet(app: App, key: string): Promise<CandidateSet | null> {
  const have = app.recsCandidates.sets.get(key);
  const set = have ? await have.catch(() => null) : null;
  if (!set) return null;
  const now = Date.now();
  app.contentVersion.mark(now);
  if (now - set.builtAt >= REFIT_AFTER_MS) refit(app, key, set);
  const unchanged = now - set.checkedAt < IDS_RECHECK_MS && app.contentVersion.isFresh({ seq: set.seq, papers: [] });
  return unchanged ? set : null;
}

/**
 * The cached set for `key` (the period's bounds) holding exactly `ids` (read at content version
 * `seq`): as it is, updated with the new ids, or fit anew (see above). Concurrent requests share
 * one build.
 */
export async function candidateSet(app: App, key: string, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const cache = app.recsCandidates;
  const have = cache.sets.get(key);
  const old = have ? await have.catch(() => null) : null;
  if (old && cache.sets.get(key) !== have) return candidateSet(app, key, ids, seq);
  if (old && Date.now() - old.builtAt >= REFIT_AFTER_MS) refit(app, key, old);
  if (old && sameIds(old.ids, ids)) {
    old.seq = seq;
    old.checkedAt = Date.now();
    return old;
  }
  // A set older than REFIT_AFTER_MS is still updated with the old vocabulary: its refit runs apart.
  const p = old ? update(app, old, ids, seq) : build(app, ids, seq);
  cache.sets.delete(key);
  cache.sets.set(key, p);
  while (cache.sets.size > MAX_SETS) cache.sets.delete(cache.sets.keys().next().value!);
  p.catch(() => cache.sets.delete(key));
  return p;
}

/** Rows for papers outside the candidates (a reader's liked papers), fetched once per set. */
export async function addExtraReps(app: App, set: CandidateSet, ids: readonly number[]): Promise<void> {
  const missing = ids.filter((id) => !set.reps.has(id));
  if (missing.length === 0) return;
  if (set.extras + missing.length > MAX_EXTRA_REPS) {
    for (const id of set.reps.keys())
      if (!set.orgs.has(id)) {
        set.reps.delete(id);
        set.texts.delete(id);
      }
    set.extras = 0;
  }
  for (const c of await papersByIds(app.db, missing)) {
    if (set.reps.has(c.id)) continue;
    set.reps.set(c.id, representation(c, set.vectorizer));
    set.texts.set(c.id, `${c.title} ${c.abstract}`.toLowerCase());
    set.extras++;
  }
}
