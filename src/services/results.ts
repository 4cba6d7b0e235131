import type { App } from '../app.js';
import type { FactKind } from '../facts/fact.js';
import { addDays } from '../model/dates.js';
import { isListableTerm, RANKING_PERIOD_DAYS, type RankingQuery } from '../model/result-ranking.js';
import {
  commonFactTerms,
  latestPublishedDay,
  papersPerFactKind,
  type RankedFact,
  type RankingFilter,
  rankedFacts,
  rankingUnits,
} from '../store/fact-store.js';
import { type PaperCard, papersByIds } from '../store/listing-store.js';

export interface RankingRow extends RankedFact {
  rank: number;
  card: PaperCard;
}

export interface Ranking {
  /** The query with its unit decided (the one asked for, else the most common). */
  query: RankingQuery & { unit: string | null };
  /** The window's first day and its last (inclusive), or null for all time. */
  since: string | null;
  asOf: string | null;
  units: Array<{ unit: string; papers: number }>;
  total: number;
  rows: RankingRow[];
}

/**
 * The day a ranking's window ends on: today, or the newest paper's day when none is newer (a site
 * loaded with an archive shows "this month" of its archive rather than nothing, as trending does).
 */
async function asOfDay(app: App, now: Date): Promise<string | null> {
  const today = now.toISOString().slice(0, 10);
  return latestPublishedDay(app.db, addDays(today, 1));
}

/**
 * A page of a result ranking (model/result-ranking.ts), each row with its paper's card.
 *
 * @example
 * await resultRanking(app, { kind: 'speedup', metric: 'decoding', setting: null, unit: null, period: 'month' }, now, 30, 0)
 * // { query: { …, unit: 'x' }, units: [{ unit: 'x', papers: 41 }, { unit: '%', papers: 6 }], total: 41, rows: [{ rank: 1, … }] }
 */
export async function resultRanking(
  app: App,
  q: RankingQuery,
  now: Date,
  limit: number,
  offset: number,
): Promise<Ranking> {
  const days = RANKING_PERIOD_DAYS[q.period];
  const asOf = days === null ? null : await asOfDay(app, now);
  const since = asOf && days !== null ? addDays(asOf, 1 - days) : null;
  const filter: RankingFilter = {
    kind: q.kind,
    metric: q.metric,
    setting: q.setting,
    since,
    until: asOf ? addDays(asOf, 1) : null,
  };
  const units = await rankingUnits(app.db, filter);
  const unit = q.unit ?? units[0]?.unit ?? null;
  if (unit === null) return { query: { ...q, unit }, since, asOf, units, total: 0, rows: [] };
  const page = await rankedFacts(app.db, filter, unit, limit, offset);
  const cards = new Map(
    (
      await papersByIds(
        app.db,
        page.items.map((i) => i.paperId),
      )
    ).map((c) => [c.id, c]),
  );
  const rows: RankingRow[] = [];
  page.items.forEach((item, i) => {
    const card = cards.get(item.paperId);
    if (card) rows.push({ ...item, rank: offset + i + 1, card });
  });
  return { query: { ...q, unit }, since, asOf, units, total: page.total, rows };
}

/** Terms the index lists per kind. */
const INDEX_TERMS_PER_KIND = 8;
/** A term is listed once this many papers claim it: a term of one paper is a stray, not an index entry. */
const INDEX_TERM_MIN_PAPERS = 2;
/** Terms read per kind before generic words are dropped (a handful of the top ones are generic). */
const INDEX_TERMS_SCANNED = INDEX_TERMS_PER_KIND + 12;

export interface ResultsIndex {
  kinds: Array<{
    kind: FactKind;
    papers: number;
    metrics: Array<{ term: string; papers: number }>;
    settings: Array<{ term: string; papers: number }>;
  }>;
}

/** The index of rankings: per kind, its paper count and the metrics and settings most papers claim. */
export async function resultsIndex(app: App, kinds: readonly FactKind[]): Promise<ResultsIndex> {
  const counts = await papersPerFactKind(app.db);
  const metrics = await commonFactTerms(app.db, 'metric', INDEX_TERMS_SCANNED);
  const settings = await commonFactTerms(app.db, 'setting', INDEX_TERMS_SCANNED);
  const pick = (rows: typeof metrics, kind: FactKind) =>
    rows
      .filter((r) => r.kind === kind && r.papers >= INDEX_TERM_MIN_PAPERS && isListableTerm(r.term))
      .slice(0, INDEX_TERMS_PER_KIND)
      .map(({ term, papers }) => ({ term, papers }));
  return {
    kinds: kinds.map((kind) => ({
      kind,
      papers: counts.get(kind) ?? 0,
      metrics: pick(metrics, kind),
      settings: pick(settings, kind),
    })),
  };
}
