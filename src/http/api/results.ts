import { notFound } from '../../lib/app-error.js';
import { rankingTitle, unitParam } from '../../model/result-ranking.js';
import { resultRanking } from '../../services/results.js';
import { RankingParams, rankingQuery } from '../pages/result-ranking.js';
import { handler, json, showing } from '../route.js';
import { PAGE_SIZE, pageNumber } from '../ui/components.js';

/**
 * GET /api/results/:kind?metric=&setting=&unit=&period=&page= — a result ranking as JSON, the same
 * rows as the page /results/:kind: each paper once, by its largest claim, largest first.
 *
 * @example
 * // GET /api/results/speedup?metric=decoding&period=month
 * { "title": "Largest claimed decoding speedups this month", "unit": "x", "total": 41, "page": 1,
 *   "items": [{ "rank": 1, "value": 5.8, "fact": { "span": "…", … }, "paper": { "id": "2510.01234", … } }] }
 */
export const resultsApi = handler({ query: RankingParams }, async (ctx) => {
  const q = rankingQuery(ctx.params.kind, ctx.query);
  const pageNo = pageNumber(ctx.query.page);
  const r = await resultRanking(ctx.app, q, ctx.now, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  if (pageNo > 1 && r.rows.length === 0) throw notFound(`Page ${pageNo} is past the end of this ranking.`);
  const base = ctx.app.config.baseUrl;
  return showing(
    json({
      title: rankingTitle(q),
      kind: q.kind,
      metric: q.metric,
      setting: q.setting,
      period: q.period,
      since: r.since,
      asOf: r.asOf,
      unit: r.query.unit === null ? null : unitParam(r.query.unit),
      units: r.units.map((u) => ({ unit: unitParam(u.unit), papers: u.papers })),
      total: r.total,
      page: pageNo,
      pageSize: PAGE_SIZE,
      items: r.rows.map((x) => ({
        rank: x.rank,
        value: x.rankValue,
        fact: x.fact,
        paper: {
          id: x.card.arxivId,
          title: x.card.title,
          publishedAt: x.card.publishedAt,
          authors: x.card.authors,
          organization: x.card.organization?.name ?? null,
          upvotes: x.card.upvotes,
          url: `${base}/papers/${x.card.arxivId}`,
        },
      })),
    }),
    r.rows.map((x) => x.card.id),
  );
});
