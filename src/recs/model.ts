import { addRowSims, type CandidateMatrix, candidateMatrix, gatherSims } from './matrix.js';
import type { SparseVector } from './tfidf.js';

/**
 * paperboy's "For you" model: pure, per reader, retrained from scratch on every signal (a few
 * sparse additions: well under a millisecond for 200 signals).
 *
 * A paper is represented by its TF-IDF keyword row, its categories, its authors and the day it was
 * first listed. A reader's profile is
 *  - a text profile: the recency-weighted mean of the rows of the papers they liked (upvoted,
 *    saved, submitted, authored, seeded with "more like this"), minus a share of the mean of the
 *    papers they marked "not interested" (Rocchio's relevance feedback);
 *  - author and category affinities: how often the liked papers carry each, plus follows;
 *  - a freshness habit: how many days after its first listing the reader usually acts on a paper
 *    (a reader of today's list and a reader of last month's are told apart), smoothed toward a
 *    default that prefers new papers.
 * A candidate's score adds the text similarity (scaled by `TEXT_TEMPERATURE`), the log-odds of
 * its age under the habit, and small bonuses for followed authors, categories and searches;
 * "not interested" in an author or a topic removes the paper outright.
 */

/** A paper as the model sees it. `listedDay` counts days since 1970-01-01 (UTC). */
export interface RecsPaper {
  id: number;
  vec: SparseVector;
  categories: readonly string[];
  /** Author keys (see `authorKey`). */
  authors: readonly string[];
  listedDay: number;
  /** For explanations: the title and the authors as written (parallel to `authors`). */
  title?: string;
  authorNames?: readonly string[];
}

export type PositiveKind = 'upvote' | 'save' | 'authored' | 'seed' | 'submitted';

export interface PositiveSignal {
  paper: RecsPaper;
  kind: PositiveKind;
  /** Day the reader acted (days since the epoch). */
  day: number;
}

export interface ReaderSignals {
  positives: readonly PositiveSignal[];
  /** Papers marked "not interested". */
  dismissed: readonly RecsPaper[];
  followedAuthors: ReadonlySet<string>;
  followedCategories: ReadonlySet<string>;
  /** Saved searches / keywords, as the vectorizer's rows of their text. */
  savedSearches: readonly { label: string; vec: SparseVector }[];
  mutedAuthors: ReadonlySet<string>;
  /** Topics marked "not interested": lower-case words or phrases matched in title and abstract. */
  mutedTopics: readonly string[];
}

export const NO_SIGNALS: ReaderSignals = {
  positives: [],
  dismissed: [],
  followedAuthors: new Set(),
  followedCategories: new Set(),
  savedSearches: [],
  mutedAuthors: new Set(),
  mutedTopics: [],
};

/** How much each kind of positive signal counts in the text profile. */
const SIGNAL_WEIGHT: Record<PositiveKind, number> = {
  seed: 2,
  authored: 1.5,
  save: 1.5,
  submitted: 1,
  upvote: 1,
};
/** A liked paper's weight halves every this many days before the day of ranking. */
const PROFILE_HALF_LIFE_DAYS = 90;
/** Rocchio's γ: how strongly the "not interested" papers pull the profile away. */
export const DISMISSED_WEIGHT = 0.5;
/** Cosine similarities are small (0.05–0.4); dividing by this puts them on the log-odds scale. */
const TEXT_TEMPERATURE = 0.05;
/** The freshness habit's default: acting on a paper is this many times likelier on its first day than a week later. */
const DEFAULT_FRESHNESS_HALF_LIFE_DAYS = 2;
/** Pseudo-counts of the default when smoothing the reader's own habit (a reader with 3 signals mostly gets the default). */
const FRESHNESS_PRIOR_STRENGTH = 5;
/** Ages at or beyond this are one bucket. */
const MAX_AGE_BUCKET_DAYS = 30;
/** Log-odds bonus of a paper by a followed author, in a followed category, matching a saved search. */
const FOLLOWED_AUTHOR_BONUS = 3;
const FOLLOWED_CATEGORY_BONUS = 0.5;
const SAVED_SEARCH_BONUS = 2;
/** A saved search matches when the cosine of its row with the paper's is at least this. */
const SAVED_SEARCH_MIN_COSINE = 0.1;
/** Log-odds bonus per earlier liked paper sharing an author (capped), and for the category share. */
const AUTHOR_AFFINITY_BONUS = 0.5;
const AUTHOR_AFFINITY_CAP = 3;
const CATEGORY_AFFINITY_WEIGHT = 1;
/** Below this many positive signals the model does not trust itself: trending first, said so. */
export const MIN_SIGNALS_FOR_MODEL = 2;

/** "Ashish  Vaswani" and "ashish vaswani" are one key; different people with one name are not told apart here. */
export function authorKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export interface Profile {
  features: number;
  /** Dense text profile (length = vectorizer features); null with no positives. */
  text: Float64Array | null;
  authorCounts: Map<string, number>;
  categoryShare: Map<string, number>;
  /** log P(age) − log P_default(age) per age bucket. */
  ageLogOdds: Float64Array;
  positives: number;
  signals: ReaderSignals;
  /** Papers already acted on, never recommended again. */
  seen: Set<number>;
  /** The liked papers' rows by term, built by `explain` on its first call (see explain.ts). */
  likedIndex?: { ptr: Int32Array; signal: Int32Array; val: Float32Array };
}

/** A liked paper's weight in the text profile: its kind's, halved every PROFILE_HALF_LIFE_DAYS before `today`. */
export function signalWeight(kind: PositiveKind, day: number, today: number): number {
  return SIGNAL_WEIGHT[kind] * 0.5 ** (Math.max(0, today - day) / PROFILE_HALF_LIFE_DAYS);
}

function defaultAgeProb(): Float64Array {
  const p = new Float64Array(MAX_AGE_BUCKET_DAYS + 1);
  let sum = 0;
  for (let a = 0; a <= MAX_AGE_BUCKET_DAYS; a++) {
    p[a] = 0.5 ** (a / DEFAULT_FRESHNESS_HALF_LIFE_DAYS);
    sum += p[a];
  }
  for (let a = 0; a <= MAX_AGE_BUCKET_DAYS; a++) p[a] /= sum;
  return p;
}
const DEFAULT_AGE = defaultAgeProb();

function ageBucket(listedDay: number, day: number): number {
  // A paper acted on before its listing day (a preprint seen elsewhere) counts as brand new.
  return Math.min(MAX_AGE_BUCKET_DAYS, Math.max(0, day - listedDay));
}

/**
 * The reader's profile from their signals, as of `today` (days since the epoch).
 *
 * @example
 * const profile = trainProfile(signals, vectorizer.features, dayNumber('2026-07-01'));
 * const ranked = rankCandidates(profile, candidates, today).slice(0, 50);
 */
export function trainProfile(
  signals: ReaderSignals,
  features: number,
  today: number,
  opts: { text?: boolean } = {},
): Profile {
  // `text: false`: the caller brings the text similarities itself (ReaderText keeps them up to
  // date signal by signal), so the dense profile is not built.
  const withText = opts.text ?? true;
  const seen = new Set<number>();
  const authorCounts = new Map<string, number>();
  const categoryCounts = new Map<string, number>();
  const ageCounts = new Float64Array(MAX_AGE_BUCKET_DAYS + 1);
  let text: Float64Array | null = null;
  let totalWeight = 0;
  for (const s of signals.positives) {
    seen.add(s.paper.id);
    const w = signalWeight(s.kind, s.day, today);
    if (withText) {
      text ??= new Float64Array(features);
      const x = s.paper.vec;
      for (let j = 0; j < x.idx.length; j++) text[x.idx[j]] += w * x.val[j];
    }
    totalWeight += w;
    for (const a of new Set(s.paper.authors)) authorCounts.set(a, (authorCounts.get(a) ?? 0) + 1);
    for (const c of new Set(s.paper.categories)) categoryCounts.set(c, (categoryCounts.get(c) ?? 0) + 1);
    // Authored papers and seeds say nothing of when the reader reads.
    if (s.kind !== 'authored' && s.kind !== 'seed') ageCounts[ageBucket(s.paper.listedDay, s.day)]++;
  }
  if (text && totalWeight > 0) for (let j = 0; j < features; j++) text[j] /= totalWeight;
  if (text && signals.dismissed.length > 0) {
    const g = DISMISSED_WEIGHT / signals.dismissed.length;
    for (const p of signals.dismissed) {
      seen.add(p.id);
      for (let j = 0; j < p.vec.idx.length; j++) text[p.vec.idx[j]] -= g * p.vec.val[j];
    }
  } else for (const p of signals.dismissed) seen.add(p.id);
  let ageTotal = 0;
  for (let a = 0; a <= MAX_AGE_BUCKET_DAYS; a++) ageTotal += ageCounts[a];
  const ageLogOdds = new Float64Array(MAX_AGE_BUCKET_DAYS + 1);
  for (let a = 0; a <= MAX_AGE_BUCKET_DAYS; a++) {
    const p = (ageCounts[a] + FRESHNESS_PRIOR_STRENGTH * DEFAULT_AGE[a]) / (ageTotal + FRESHNESS_PRIOR_STRENGTH);
    ageLogOdds[a] = Math.log(p);
  }
  const n = signals.positives.length;
  const categoryShare = new Map<string, number>();
  for (const [c, k] of categoryCounts) categoryShare.set(c, k / n);
  return {
    features,
    text,
    authorCounts,
    categoryShare,
    ageLogOdds,
    positives: n,
    signals,
    seen,
  };
}

/** Why a paper was recommended: the parts of its score, for the explanation. */
export interface ScoreParts {
  text: number;
  freshness: number;
  authorAffinity: number;
  followedAuthor: string | null;
  followedCategory: string | null;
  savedSearch: string | null;
  categoryAffinity: number;
}

export interface Scored {
  paper: RecsPaper;
  score: number;
  parts: ScoreParts;
}

function mutedByTopic(paper: RecsPaper, signals: ReaderSignals, text: (p: RecsPaper) => string): boolean {
  if (signals.mutedTopics.length === 0) return false;
  const t = text(paper);
  return signals.mutedTopics.some((topic) => t.includes(topic));
}

export interface ScoreOptions {
  /** Keep only the best so many (muted topics are then looked for in those only: the text scan is the dearest check). */
  limit?: number;
  /** A caller's own log-odds for a paper (a followed organisation), added before the order is decided. */
  bonus?: (p: RecsPaper) => number;
  /** The text similarity of every row, when the caller keeps them (ReaderText); else from `profile.text`. */
  sims?: Float64Array;
}

/**
 * Scores every candidate (papers the reader already acted on, and papers by a muted author or on a
 * muted topic, are left out), best first. `text(p)` gives a paper's title and abstract,
 * lower-cased, for muted topics (themselves lower-case); pass `() => ''` when there are none.
 */
export function scoreCandidates(
  profile: Profile,
  candidates: readonly RecsPaper[],
  today: number,
  text: (p: RecsPaper) => string = () => '',
  opts: ScoreOptions = {},
): Scored[] {
  return scoreMatrix(profile, candidateMatrix(candidates, profile.features), today, text, opts);
}

/**
 * `scoreCandidates` over a prepared matrix (shared by every reader of a candidate set): each part
 * of the score is a pass over typed arrays (the authors, categories and saved searches of the
 * reader turned into flags and weights by the matrix's integer ids), the order is decided on the
 * numbers alone, and objects are built for the returned papers only.
 */
export function scoreMatrix(
  profile: Profile,
  m: CandidateMatrix,
  today: number,
  text: (p: RecsPaper) => string = () => '',
  opts: ScoreOptions = {},
): Scored[] {
  const s = profile.signals;
  const n = m.rows;
  const w = m.work;
  let sims = opts.sims ?? null;
  if (!sims && profile.text) {
    sims = w.sims;
    gatherSims(m, profile.text, sims);
  }
  // The reader's authors and categories, by the matrix's ids (flags: 1 followed, 2 muted).
  const { authorWeight, authorFlag, categoryShare, categoryFollowed } = w;
  const touched = (keys: Iterable<string>, ids: Map<string, number>, f: (id: number) => void) => {
    for (const k of keys) {
      const id = ids.get(k);
      if (id !== undefined) f(id);
    }
  };
  for (const [a, k] of profile.authorCounts) {
    const id = m.authorIds.get(a);
    if (id !== undefined) authorWeight[id] = k;
  }
  touched(s.followedAuthors, m.authorIds, (id) => {
    authorFlag[id] |= 1;
  });
  touched(s.mutedAuthors, m.authorIds, (id) => {
    authorFlag[id] |= 2;
  });
  for (const [c, share] of profile.categoryShare) {
    const id = m.categoryIds.get(c);
    if (id !== undefined) categoryShare[id] = share;
  }
  touched(s.followedCategories, m.categoryIds, (id) => {
    categoryFollowed[id] = 1;
  });
  // The first saved search each row matches, through the term lists (a search is a few words).
  const searchOf = s.savedSearches.length > 0 ? w.searchOf : null;
  if (searchOf) {
    searchOf.fill(-1);
    const acc = w.acc;
    acc.fill(0);
    s.savedSearches.forEach((q, qi) => {
      addRowSims(m, q.vec, 1, acc);
      for (let i = 0; i < n; i++) {
        if (acc[i] >= SAVED_SEARCH_MIN_COSINE && searchOf[i] < 0) searchOf[i] = qi;
        acc[i] = 0;
      }
    });
  }
  const skip = w.skip;
  skip.fill(0);
  for (const id of profile.seen) {
    const r = m.rowOf.get(id);
    if (r !== undefined) skip[r] = 1;
  }
  const { authorPtr, authorOf, categoryPtr, categoryOf, listedDay } = m;
  const { scores, kept } = w;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (skip[i]) continue;
    let affinity = 0;
    let followed = 0;
    let muted = 0;
    for (let k = authorPtr[i]; k < authorPtr[i + 1]; k++) {
      const a = authorOf[k];
      affinity += authorWeight[a];
      followed |= authorFlag[a] & 1;
      muted |= authorFlag[a] & 2;
    }
    if (muted) continue;
    let categoryAffinity = 0;
    let followedCategory = 0;
    for (let k = categoryPtr[i]; k < categoryPtr[i + 1]; k++) {
      const c = categoryOf[k];
      if (categoryShare[c] > categoryAffinity) categoryAffinity = categoryShare[c];
      followedCategory |= categoryFollowed[c];
    }
    scores[i] =
      (sims ? sims[i] / TEXT_TEMPERATURE : 0) +
      profile.ageLogOdds[ageBucket(listedDay[i], today)] +
      AUTHOR_AFFINITY_BONUS * Math.min(AUTHOR_AFFINITY_CAP, affinity) +
      CATEGORY_AFFINITY_WEIGHT * categoryAffinity +
      (followed ? FOLLOWED_AUTHOR_BONUS : 0) +
      (followedCategory ? FOLLOWED_CATEGORY_BONUS : 0) +
      (searchOf && searchOf[i] >= 0 ? SAVED_SEARCH_BONUS : 0) +
      (opts.bonus ? opts.bonus(m.papers[i]) : 0);
    kept[count++] = i;
  }
  // Leave the per-author and per-category space zeroed for the next pass.
  touched(profile.authorCounts.keys(), m.authorIds, (id) => {
    authorWeight[id] = 0;
  });
  touched(s.followedAuthors, m.authorIds, (id) => {
    authorFlag[id] = 0;
  });
  touched(s.mutedAuthors, m.authorIds, (id) => {
    authorFlag[id] = 0;
  });
  touched(profile.categoryShare.keys(), m.categoryIds, (id) => {
    categoryShare[id] = 0;
  });
  touched(s.followedCategories, m.categoryIds, (id) => {
    categoryFollowed[id] = 0;
  });
  // The parts of one returned paper, for its explanation (the loops above, once, with names).
  const partsOf = (i: number): ScoreParts => {
    const c = m.papers[i];
    let authorAffinity = 0;
    let followedAuthor: string | null = null;
    for (const a of c.authors) {
      authorAffinity += profile.authorCounts.get(a) ?? 0;
      if (followedAuthor === null && s.followedAuthors.has(a)) followedAuthor = a;
    }
    let categoryAffinity = 0;
    let followedCategory: string | null = null;
    for (const cat of c.categories) {
      categoryAffinity = Math.max(categoryAffinity, profile.categoryShare.get(cat) ?? 0);
      if (followedCategory === null && s.followedCategories.has(cat)) followedCategory = cat;
    }
    return {
      text: sims ? sims[i] : 0,
      freshness: profile.ageLogOdds[ageBucket(c.listedDay, today)],
      authorAffinity: AUTHOR_AFFINITY_BONUS * Math.min(AUTHOR_AFFINITY_CAP, authorAffinity),
      followedAuthor,
      followedCategory,
      savedSearch: searchOf && searchOf[i] >= 0 ? s.savedSearches[searchOf[i]].label : null,
      categoryAffinity,
    };
  };
  const better = (a: number, b: number) => scores[b] - scores[a] || m.papers[a].id - m.papers[b].id;
  const out: Scored[] = [];
  const limit = opts.limit;
  if (limit === undefined) {
    const order = Array.from(kept.subarray(0, count)).filter((i) => !mutedByTopic(m.papers[i], s, text));
    order.sort(better);
    for (const i of order) out.push({ paper: m.papers[i], score: scores[i], parts: partsOf(i) });
    return out;
  }
  // The best `limit`: sort only the rows at or above the limit-th best score (found in linear time),
  // and widen when muted topics took some of them out.
  for (let want = limit; ; want *= 2) {
    const top = topRows(scores, kept, count, want);
    top.sort(better);
    out.length = 0;
    for (const i of top) {
      if (out.length >= limit) break;
      if (mutedByTopic(m.papers[i], s, text)) continue;
      out.push({ paper: m.papers[i], score: scores[i], parts: partsOf(i) });
    }
    if (out.length >= limit || top.length >= count) return out;
  }
}

/** The rows of kept[0..count) whose score is at least the k-th best (ties included), unordered. */
function topRows(scores: Float64Array, kept: Int32Array, count: number, k: number): number[] {
  if (k >= count) return Array.from(kept.subarray(0, count));
  const v = new Float64Array(count);
  for (let j = 0; j < count; j++) v[j] = scores[kept[j]];
  // Quickselect for the k-th largest.
  let lo = 0;
  let hi = count - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] > pivot) i++;
      while (v[j] < pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  const threshold = v[target];
  const out: number[] = [];
  for (let j = 0; j < count; j++) if (scores[kept[j]] >= threshold) out.push(kept[j]);
  return out;
}
