import { type SparseVector, sparseCosineFew } from './tfidf.js';

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
const DISMISSED_WEIGHT = 0.5;
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
  /** Zeros, `features` long: space for spreading one sparse row out (left zeroed after use). */
  scratch: Float64Array;
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
export function trainProfile(signals: ReaderSignals, features: number, today: number): Profile {
  const seen = new Set<number>();
  const authorCounts = new Map<string, number>();
  const categoryCounts = new Map<string, number>();
  const ageCounts = new Float64Array(MAX_AGE_BUCKET_DAYS + 1);
  let text: Float64Array | null = null;
  let totalWeight = 0;
  for (const s of signals.positives) {
    seen.add(s.paper.id);
    const w = SIGNAL_WEIGHT[s.kind] * 0.5 ** (Math.max(0, today - s.day) / PROFILE_HALF_LIFE_DAYS);
    text ??= new Float64Array(features);
    const x = s.paper.vec;
    for (let j = 0; j < x.idx.length; j++) text[x.idx[j]] += w * x.val[j];
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
    scratch: new Float64Array(features),
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

function mutedBy(paper: RecsPaper, signals: ReaderSignals, text: (p: RecsPaper) => string): boolean {
  for (const a of paper.authors) if (signals.mutedAuthors.has(a)) return true;
  if (signals.mutedTopics.length === 0) return false;
  const t = text(paper).toLowerCase();
  return signals.mutedTopics.some((topic) => t.includes(topic));
}

/**
 * Scores every candidate (papers the reader already acted on, and papers by a muted author or on a
 * muted topic, are left out), best first. `text(p)` gives a paper's title and abstract for muted
 * topics; pass `() => ''` when there are none. `limit` keeps only the best so many (muted topics
 * are then looked for in those only: the text scan is the dearest check); `bonus` adds a caller's
 * own log-odds (a followed organisation) before the order is decided.
 */
export function scoreCandidates(
  profile: Profile,
  candidates: readonly RecsPaper[],
  today: number,
  text: (p: RecsPaper) => string = () => '',
  opts: { limit?: number; bonus?: (p: RecsPaper) => number } = {},
): Scored[] {
  const s = profile.signals;
  // One candidate's score, its parts written into `parts` (a scratch object while ranking, so
  // ranking 5,000 candidates allocates no object per candidate: the garbage is what showed at p99).
  const scoreOf = (c: RecsPaper, parts: ScoreParts): number => {
    let sim = 0;
    if (profile.text) for (let j = 0; j < c.vec.idx.length; j++) sim += c.vec.val[j] * profile.text[c.vec.idx[j]];
    const freshness = profile.ageLogOdds[ageBucket(c.listedDay, today)];
    let affinity = 0;
    let followedAuthor: string | null = null;
    for (const a of c.authors) {
      affinity += profile.authorCounts.get(a) ?? 0;
      if (followedAuthor === null && s.followedAuthors.has(a)) followedAuthor = a;
    }
    const authorAffinity = AUTHOR_AFFINITY_BONUS * Math.min(AUTHOR_AFFINITY_CAP, affinity);
    let categoryAffinity = 0;
    let followedCategory: string | null = null;
    for (const cat of c.categories) {
      categoryAffinity = Math.max(categoryAffinity, profile.categoryShare.get(cat) ?? 0);
      if (followedCategory === null && s.followedCategories.has(cat)) followedCategory = cat;
    }
    let savedSearch: string | null = null;
    for (const q of s.savedSearches) {
      if (sparseCosineFew(q.vec, c.vec) >= SAVED_SEARCH_MIN_COSINE) {
        savedSearch = q.label;
        break;
      }
    }
    parts.text = sim;
    parts.freshness = freshness;
    parts.authorAffinity = authorAffinity;
    parts.followedAuthor = followedAuthor;
    parts.followedCategory = followedCategory;
    parts.savedSearch = savedSearch;
    parts.categoryAffinity = categoryAffinity;
    return (
      sim / TEXT_TEMPERATURE +
      freshness +
      authorAffinity +
      CATEGORY_AFFINITY_WEIGHT * categoryAffinity +
      (followedAuthor ? FOLLOWED_AUTHOR_BONUS : 0) +
      (followedCategory ? FOLLOWED_CATEGORY_BONUS : 0) +
      (savedSearch ? SAVED_SEARCH_BONUS : 0) +
      (opts.bonus ? opts.bonus(c) : 0)
    );
  };
  const newParts = (): ScoreParts => ({
    text: 0,
    freshness: 0,
    authorAffinity: 0,
    followedAuthor: null,
    followedCategory: null,
    savedSearch: null,
    categoryAffinity: 0,
  });
  const scratch = newParts();
  const scores = new Float64Array(candidates.length);
  const order: number[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (profile.seen.has(c.id) || (opts.limit === undefined && mutedBy(c, s, text))) continue;
    scores[i] = scoreOf(c, scratch);
    order.push(i);
  }
  order.sort((a, b) => scores[b] - scores[a] || candidates[a].id - candidates[b].id);
  const out: Scored[] = [];
  for (const i of order) {
    if (opts.limit !== undefined && out.length >= opts.limit) break;
    const c = candidates[i];
    if (opts.limit !== undefined && mutedBy(c, s, text)) continue;
    const parts = newParts();
    out.push({ paper: c, score: scoreOf(c, parts), parts });
  }
  return out;
}
