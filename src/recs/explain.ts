import type { PositiveKind, Profile, Scored } from './model.js';
import { sparseDot } from './tfidf.js';

/**
 * Why a paper is recommended, in a phrase naming the reader's real signals: the strongest named
 * part of its score wins (a followed author, a saved search, papers it resembles, shared authors,
 * a followed category), so the phrase is never generic when something specific applies.
 *
 * @example
 * explain(scored, profile) // "like 3 papers you saved, e.g. “Speculative decoding…”"
 */
const LIKE_MIN_COSINE = 0.08;

const KIND_WORDS: Record<PositiveKind, string> = {
  upvote: 'you upvoted',
  save: 'you saved',
  authored: 'you wrote',
  seed: 'you asked for more like',
  submitted: 'you submitted',
};

function quoted(title: string | undefined): string {
  if (!title) return 'one of them';
  return `“${title.length > 80 ? `${title.slice(0, 77)}…` : title}”`;
}

export function explain(s: Scored, profile: Profile): string {
  const p = s.parts;
  const nameOf = (key: string) => {
    const i = s.paper.authors.indexOf(key);
    return (i >= 0 ? s.paper.authorNames?.[i] : undefined) ?? key;
  };
  if (p.followedAuthor) return `by ${nameOf(p.followedAuthor)}, an author you follow`;
  if (p.savedSearch) return `matches your saved search ‘${p.savedSearch}’`;
  // The liked papers it resembles, counted by the kind of the most similar one.
  // The candidate's row spread into a dense array: each similarity is then a gather, not a merge.
  const scratch = profile.scratch;
  const v = s.paper.vec;
  for (let j = 0; j < v.idx.length; j++) scratch[v.idx[j]] = v.val[j];
  const cosines = profile.signals.positives.map((sig) => ({ sig, cos: sparseDot(sig.paper.vec, scratch) }));
  for (let j = 0; j < v.idx.length; j++) scratch[v.idx[j]] = 0;
  const similar = cosines.filter((x) => x.cos >= LIKE_MIN_COSINE).sort((a, b) => b.cos - a.cos);
  if (similar.length > 0) {
    const kind = similar[0].sig.kind;
    const same = similar.filter((x) => x.sig.kind === kind);
    const words = KIND_WORDS[kind];
    if (kind === 'seed') return `more like ${quoted(same[0].sig.paper.title)}, as you asked`;
    return same.length === 1
      ? `like ${quoted(same[0].sig.paper.title)}, which ${words}`
      : `like ${same.length} papers ${words}, e.g. ${quoted(same[0].sig.paper.title)}`;
  }
  if (p.authorAffinity > 0) {
    const shared = s.paper.authors.find((a) => (profile.authorCounts.get(a) ?? 0) > 0);
    if (shared) {
      const n = profile.authorCounts.get(shared)!;
      return `by ${nameOf(shared)}, an author of ${n === 1 ? 'a paper' : `${n} papers`} you liked`;
    }
  }
  if (p.followedCategory) return `new in ${p.followedCategory}, a category you follow`;
  const cat = s.paper.categories.find((c) => (profile.categoryShare.get(c) ?? 0) > 0);
  if (cat) return `in ${cat}, where ${Math.round(100 * profile.categoryShare.get(cat)!)}% of the papers you liked are`;
  return 'new, and near your interests';
}
