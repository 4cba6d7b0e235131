import { hoursBetween, trendingScore } from './trending.js';

/**
 * Choosing the papers of one digest, pure. The period's candidates are ranked once by the trending
 * score as of the period's end; each subscriber then takes the first `paperCount` that pass their
 * filters. Topics (categories, keywords, organisations) are alternatives: a paper matching any one
 * qualifies; with no topics every paper does. The minimum upvote count always applies.
 *
 * @example
 * const ranked = rankCandidates(papers, '2026-06-16T00:00:00.000Z');
 * selectForSubscriber(ranked, { paperCount: 5, categories: ['cs.CL'], keywords: [], organizations: [], minUpvotes: 0 })
 */
interface DigestPreferences {
  paperCount: number;
  categories: string[];
  keywords: string[];
  organizations: string[];
  minUpvotes: number;
}

export interface CandidatePaper {
  id: number;
  arxivId: string;
  title: string;
  abstract: string;
  authorCount: number;
  categories: string[];
  organization: string | null;
  organizationFullname: string | null;
  upvotes: number;
  comments: number;
  hasCode: boolean;
  /** When the paper entered the list: its Daily Papers day, else its publication date (ISO). */
  enteredAt: string;
}

export interface RankedPaper extends CandidatePaper {
  score: number;
  /** False once the paper is older than the trending window (never sent, whatever its votes). */
  inWindow: boolean;
  /** Lower-cased title + abstract, for keyword matching without re-lowering per subscriber. */
  haystack: string;
  orgKeys: string[];
}

export const DEFAULT_PAPER_COUNT = 10;
export const MAX_PAPER_COUNT = 50;

/** Trending order as of `asOf`; ties (e.g. no votes at all) go to more upvotes, then the newer arXiv id. */
export function rankCandidates(papers: CandidatePaper[], asOf: string): RankedPaper[] {
  return papers
    .map((p) => {
      const t = trendingScore({
        upvotes: p.upvotes,
        authorUpvotes: 0,
        comments: p.comments,
        hasCode: p.hasCode,
        ageHours: hoursBetween(p.enteredAt, asOf),
      });
      return { p, score: t.score, inWindow: t.decay > 0 };
    })
    .map(({ p, score, inWindow }) => ({
      ...p,
      score,
      inWindow,
      haystack: `${p.title}\n${p.abstract}`.toLowerCase(),
      orgKeys: [p.organization, p.organizationFullname].filter((s): s is string => !!s).map((s) => s.toLowerCase()),
    }))
    .sort(
      (a, b) =>
        b.score - a.score || b.upvotes - a.upvotes || (a.arxivId < b.arxivId ? 1 : a.arxivId > b.arxivId ? -1 : 0),
    );
}

/** Compiled once per subscriber: lower-cased topics and whole-word keyword patterns. */
interface CompiledPreferences {
  count: number;
  minUpvotes: number;
  categories: Set<string>;
  keywords: RegExp[];
  organizations: Set<string>;
  anyTopic: boolean;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compile(p: DigestPreferences): CompiledPreferences {
  const keywords = p.keywords
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean)
    .map((k) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(k)}(?![\\p{L}\\p{N}])`, 'u'));
  const categories = new Set(p.categories.map((c) => c.trim().toLowerCase()).filter(Boolean));
  const organizations = new Set(p.organizations.map((o) => o.trim().toLowerCase()).filter(Boolean));
  return {
    count: Math.max(1, Math.min(MAX_PAPER_COUNT, Math.floor(p.paperCount))),
    minUpvotes: Math.max(0, p.minUpvotes),
    categories,
    keywords,
    organizations,
    anyTopic: categories.size + keywords.length + organizations.size > 0,
  };
}

function matchesTopics(paper: RankedPaper, c: CompiledPreferences): boolean {
  if (!c.anyTopic) return true;
  if (c.categories.size > 0 && paper.categories.some((cat) => c.categories.has(cat.toLowerCase()))) return true;
  if (c.organizations.size > 0 && paper.orgKeys.some((o) => c.organizations.has(o))) return true;
  return c.keywords.some((re) => re.test(paper.haystack));
}

/** The papers one subscriber gets, best first; empty when nothing qualifies (then nothing is sent). */
export function selectForSubscriber(ranked: RankedPaper[], prefs: DigestPreferences): RankedPaper[] {
  const c = compile(prefs);
  const out: RankedPaper[] = [];
  for (const p of ranked) {
    // A paper nobody voted on yet still belongs in the period's digest (a site that only imports
    // arXiv has no votes at all); ranking puts it after the voted ones. Out-of-window papers never do.
    if (!p.inWindow) continue;
    if (p.upvotes < c.minUpvotes || !matchesTopics(p, c)) continue;
    out.push(p);
    if (out.length >= c.count) break;
  }
  return out;
}
