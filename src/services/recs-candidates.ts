import type { App } from '../app.js';
import { authorKey, type RecsPaper } from '../recs/model.js';
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
 * anew once the set is REFIT_AFTER_MS old (the request that finds it so pays for it), which is also
 * when an edited title or abstract is seen. Card data that changes often (upvotes) is never read
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
  builtAt: number;
  extras: number;
  /** The content version (app.contentVersion) and the time at which `ids` were last read. */
  seq: number;
  checkedAt: number;
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
  /** Sets fit anew, and sets updated with new papers (for the benchmark and the tests). */
  builds = 0;
  updates = 0;
}

function addCards(set: CandidateSet, cards: readonly PaperCard[]): void {
  for (const c of cards) {
    set.reps.set(c.id, representation(c, set.vectorizer));
    set.texts.set(c.id, `${c.title} ${c.abstract}`.toLowerCase());
    set.orgs.set(c.id, c.organization ? c.organization.name.toLowerCase() : null);
  }
}

async function build(app: App, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const cards = await papersByIds(app.db, [...ids]);
  const vectorizer = TfidfVectorizer.fit(
    cards.map((c) => `${c.title}. ${c.abstract}`),
    SITE_TFIDF,
  );
  const set: CandidateSet = {
    ids,
    vectorizer,
    reps: new Map(),
    texts: new Map(),
    orgs: new Map(),
    builtAt: Date.now(),
    extras: 0,
    seq,
    checkedAt: Date.now(),
  };
  addCards(set, cards);
  app.recsCandidates.builds++;
  return set;
}

/** The old set's rows for the ids it shares with `ids`, new rows for the rest, the same vocabulary. */
async function update(app: App, old: CandidateSet, ids: readonly number[], seq: number): Promise<CandidateSet> {
  const set: CandidateSet = {
    ...old,
    ids,
    reps: new Map(),
    texts: new Map(),
    orgs: new Map(),
    extras: 0,
    seq,
    checkedAt: Date.now(),
  };
  const fresh: number[] = [];
  for (const id of ids) {
    const r = old.reps.get(id);
    if (r && old.orgs.has(id)) {
      set.reps.set(id, r);
      set.texts.set(id, old.texts.get(id)!);
      set.orgs.set(id, old.orgs.get(id)!);
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
  const unchanged =
    now - set.builtAt < REFIT_AFTER_MS &&
    now - set.checkedAt < IDS_RECHECK_MS &&
    app.contentVersion.isFresh({ seq: set.seq, papers: [] });
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
  const fresh = old !== null && Date.now() - old.builtAt < REFIT_AFTER_MS;
  if (fresh && sameIds(old.ids, ids)) {
    old.seq = seq;
    old.checkedAt = Date.now();
    return old;
  }
  const p = fresh ? update(app, old, ids, seq) : build(app, ids, seq);
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
