import { type FactKind, isFactKind, type ResultFact } from '../facts/fact.js';

/**
 * Result rankings (issue #18): the papers whose abstracts claim a kind of result ("speedup"),
 * optionally narrowed to a metric ("decoding"), a setting ("GPU") and a publication window, ranked
 * by the claimed number, largest first. One row a paper: its largest matching claim. Numbers are
 * only comparable within one unit (a 3× speedup and a 30 % speedup are not one scale), so a ranking
 * is always of one unit; the pages offer the others as tabs.
 */

/** Publication windows a ranking can cover, in days back from its "as of" day; `all` has none. */
export const RANKING_PERIOD_DAYS = { week: 7, month: 30, year: 365, all: null } as const;
export type RankingPeriod = keyof typeof RANKING_PERIOD_DAYS;
export const RANKING_PERIODS = Object.keys(RANKING_PERIOD_DAYS) as RankingPeriod[];

export function isRankingPeriod(s: string): s is RankingPeriod {
  return Object.hasOwn(RANKING_PERIOD_DAYS, s);
}

/** Longest metric or setting text a ranking filters on (a chip's metric is a few words). */
export const RANKING_TERM_MAX_CHARS = 80;

/**
 * Units as they appear in a URL: the bare score (unit '') needs a name of its own. Every other unit
 * is itself ("x", "%", "pp", "points", "parameters").
 */
export const BARE_UNIT_PARAM = 'none';

export function unitParam(unit: string): string {
  return unit === '' ? BARE_UNIT_PARAM : unit;
}

export function unitFromParam(param: string): string {
  return param === BARE_UNIT_PARAM ? '' : param;
}

/** What a ranking selects. `unit` null: the unit most papers of the selection use. */
export interface RankingQuery {
  kind: FactKind;
  metric: string | null;
  setting: string | null;
  unit: string | null;
  period: RankingPeriod;
}

/** A unit as a tab label: "×", "%", "percentage points", "bare scores", "parameters". */
export function unitLabel(unit: string): string {
  if (unit === 'x') return '× (times)';
  if (unit === 'pp') return 'percentage points';
  if (unit === '') return 'plain numbers';
  return unit;
}

const PERIOD_WORDS: Record<RankingPeriod, string> = {
  week: ' this week',
  month: ' this month',
  year: ' this year',
  all: '',
};

/**
 * The heading of a ranking.
 *
 * @example
 * rankingTitle({ kind: 'speedup', metric: 'decoding', setting: null, unit: 'x', period: 'month' })
 * // 'Largest claimed decoding speedups this month'
 * rankingTitle({ kind: 'score', metric: null, setting: 'MMLU', unit: null, period: 'all' }) // 'MMLU scores'
 */
export function rankingTitle(q: RankingQuery): string {
  const t = titleWords(q);
  // "accuracy scores" → "Accuracy scores", but a name's own casing stays ("mIoU scores").
  const first = t.split(' ')[0] ?? '';
  return first === first.toLowerCase() ? t.charAt(0).toUpperCase() + t.slice(1) : t;
}

function titleWords(q: RankingQuery): string {
  const m = q.metric;
  const on = q.setting ? ` on ${q.setting}` : '';
  const when = PERIOD_WORDS[q.period];
  switch (q.kind) {
    case 'speedup':
      return `Largest claimed ${m ? `${m} ` : ''}speedups${on}${when}`;
    case 'reduction':
      return `Largest claimed reductions${m ? ` in ${m}` : ''}${on}${when}`;
    case 'improvement':
      return `Largest claimed improvements${m ? ` in ${m}` : ''}${on}${when}`;
    case 'score':
      // Benchmarks are settings ("86% accuracy on MMLU"): "MMLU scores", "MMLU accuracy scores".
      if (q.setting) return `${q.setting} ${m ? `${m} ` : ''}scores${when}`;
      return `${m ? `${m} scores` : 'Highest reported scores'}${when}`;
    case 'scale':
      return `Largest reported scale${m ? `: ${m}` : ''}${on}${when}`;
  }
}

/** What each kind's index entry calls it. */
export const KIND_HEADINGS: Record<FactKind, string> = {
  speedup: 'Speedups',
  reduction: 'Reductions',
  improvement: 'Improvements',
  score: 'Scores',
  scale: 'Scale',
};

/**
 * The address of a ranking: the page, or with another prefix and an extension the API
 * (`/api/results/`) and the feeds (`/feeds/results/`, `.xml` or `.atom`).
 * Defaults are left out, so one ranking has one address and one cache entry.
 *
 * @example
 * rankingPath({ kind: 'speedup', metric: 'decoding', setting: 'GPU', unit: null, period: 'month' })
 * // '/results/speedup?metric=decoding&setting=GPU&period=month'
 */
export function rankingPath(q: RankingQuery, page = 1, prefix = '/results/', ext = ''): string {
  const p = new URLSearchParams();
  if (q.metric) p.set('metric', q.metric);
  if (q.setting) p.set('setting', q.setting);
  if (q.unit !== null) p.set('unit', unitParam(q.unit));
  if (q.period !== 'all') p.set('period', q.period);
  if (page > 1) p.set('page', String(page));
  const s = p.toString().replace(/\+/g, '%20');
  return `${prefix}${q.kind}${ext}${s ? `?${s}` : ''}`;
}

/**
 * Metric words that name no particular measure ("speed" of a speedup, "improvement" of an
 * improvement): an index of metrics leaves them out, since their ranking is the kind's own.
 */
const GENERIC_METRICS: ReadonlySet<string> = new Set([
  'speed',
  'speedup',
  'acceleration',
  'improvement',
  'improvements',
  'performance',
  'score',
  'scores',
  'larger',
  'relative',
  'average',
  'total',
  'drop',
  'gain',
  'gains',
  'reduction',
  'cases',
  'success',
  'ci',
]);

/** A setting worth listing: has a letter and is not a bare number ("1", "0" from stray parses). */
export function isListableTerm(s: string): boolean {
  return /\p{L}/u.test(s) && !GENERIC_METRICS.has(s.toLowerCase());
}

/** The kind a path names, or null. */
export function rankingKind(s: string | undefined): FactKind | null {
  return s !== undefined && isFactKind(s) ? s : null;
}

/**
 * The ranking a fact takes part in: its kind, its metric (unless generic) and its unit, all time.
 * Chips and the paper page's Results link there, so the reader sees the claim beside its rivals.
 *
 * @example
 * factRanking({ kind: 'reduction', metric: 'KV cache', unit: '%', … }) // { kind: 'reduction', metric: 'KV cache', unit: '%', … }
 */
export function factRanking(f: Pick<ResultFact, 'kind' | 'metric' | 'unit'>): RankingQuery {
  const metric = f.metric?.replace(/\s+/g, ' ').trim() ?? '';
  return {
    kind: f.kind,
    metric: metric && isListableTerm(metric) && metric.length <= RANKING_TERM_MAX_CHARS ? metric : null,
    setting: null,
    unit: f.unit,
    period: 'all',
  };
}
