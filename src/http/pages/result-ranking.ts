import { z } from 'zod';
import { FACT_KINDS } from '../../facts/fact.js';
import { badRequest, notFound } from '../../lib/app-error.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { texHtml } from '../../lib/tex.js';
import { cardDate, longDate } from '../../model/dates.js';
import { factValue } from '../../model/fact-label.js';
import {
  isListableTerm,
  isRankingPeriod,
  KIND_HEADINGS,
  RANKING_PERIODS,
  RANKING_TERM_MAX_CHARS,
  type RankingPeriod,
  type RankingQuery,
  rankingKind,
  rankingPath,
  rankingTitle,
  unitFromParam,
  unitLabel,
} from '../../model/result-ranking.js';
import { type Ranking, type RankingRow, resultRanking } from '../../services/results.js';
import { text } from '../params.js';
import { type Handler, handler } from '../route.js';
import { paperPath } from '../ui/card.js';
import { PAGE_SIZE, pageNumber, pager } from '../ui/components.js';
import { page } from '../ui/layout.js';

/** The query of a ranking: page, API and feeds read the same fields. */
export const RankingParams = z.object({ metric: text(), setting: text(), unit: text(), period: text(), page: text() });

/** A unit as the URL may name it: letters, digits, "%", spaces, dots and dashes ("x", "%", "qa pairs"). */
const UNIT_PARAM_RE = /^[\p{L}\p{N}% .-]{1,32}$/u;

function term(raw: string | undefined, name: string): string | null {
  const t = (raw ?? '').replace(/\s+/g, ' ').trim();
  if (t === '') return null;
  if (t.length > RANKING_TERM_MAX_CHARS)
    throw badRequest(`The ${name} is too long: at most ${RANKING_TERM_MAX_CHARS} characters.`, name);
  return t;
}

/**
 * The ranking a request asks for: a 404 for a kind that is not one, a 400 naming a bad parameter.
 *
 * @example
 * rankingQuery('speedup', { metric: 'decoding', period: 'month' }) // { kind: 'speedup', metric: 'decoding', …, period: 'month' }
 */
export function rankingQuery(kindParam: string | undefined, query: Record<string, string | undefined>): RankingQuery {
  const kind = rankingKind(kindParam);
  if (!kind)
    throw notFound(
      `There is no ranking of "${kindParam}": rankings are of ${FACT_KINDS.join(', ')}.`,
      FACT_KINDS.map((k) => ({ href: `/results/${k}`, label: KIND_HEADINGS[k] })),
    );
  const period = query.period || 'all';
  if (!isRankingPeriod(period))
    throw badRequest(`The period "${period}" is not one of ${RANKING_PERIODS.join(', ')}.`, 'period');
  let unit: string | null = null;
  if (query.unit) {
    if (!UNIT_PARAM_RE.test(query.unit))
      throw badRequest(`The unit "${query.unit}" is not a unit: use x, %, pp, points, none or a word.`, 'unit');
    unit = unitFromParam(query.unit.toLowerCase());
  }
  return { kind, metric: term(query.metric, 'metric'), setting: term(query.setting, 'setting'), unit, period };
}

const PERIOD_TABS: Record<RankingPeriod, string> = {
  week: 'This week',
  month: 'This month',
  year: 'This year',
  all: 'All time',
};

/** "41 papers published 2025-10-01 – 2025-10-30", or "… all time". */
function scope(r: Ranking): string {
  const papers = `${r.total.toLocaleString('en')} ${r.total === 1 ? 'paper' : 'papers'}`;
  return r.since && r.asOf ? `${papers} published ${longDate(r.since)} – ${longDate(r.asOf)}` : `${papers}, all time`;
}

/** Links of which one is the current page: underlined tabs (the kinds) or pills (window, unit). */
function tabs(
  items: Array<{ href: string; label: string | SafeHtml; current: boolean }>,
  label: string,
  style: 'tabs scroll' | 'pills',
): SafeHtml {
  const cls = style === 'pills' ? 'pill' : 'tab';
  return html`<nav class="${style}" aria-label="${label}">${items.map((t) =>
    t.current
      ? html`<a class="${cls}" aria-current="page" href="${t.href}">${t.label}</a>`
      : html`<a class="${cls}" href="${t.href}">${t.label}</a>`,
  )}</nav>`;
}

function row(r: RankingRow, now: Date): SafeHtml {
  const f = r.fact;
  const date = r.card.publishedAt;
  const who = r.card.organization
    ? r.card.organization.fullname || r.card.organization.name
    : `${r.card.authorCount} ${r.card.authorCount === 1 ? 'author' : 'authors'}`;
  const detail = [
    f.metric && isListableTerm(f.metric) ? f.metric : null,
    f.setting ? `on ${f.setting}` : null,
    f.baseline ? `vs ${f.baseline}` : null,
  ].filter((x): x is string => !!x);
  return html`<li class="rank-row">
  <span class="rank-no">${r.rank}</span>
  <span class="rank-value fact-${f.kind}">${factValue(f)}</span>
  <div class="rank-body">
    <q class="rank-span">${texHtml(f.span)}</q>
    ${detail.length > 0 ? html`<span class="rank-detail">${detail.join(' · ')}</span>` : ''}
    <a class="rank-paper" href="${paperPath(r.card.arxivId)}">${texHtml(r.card.title)}</a>
    <span class="rank-meta">${who}${date ? html` · <time datetime="${date.slice(0, 10)}">${cardDate(date, now)}</time>` : ''} · ▲ ${r.card.upvotes}</span>
  </div>
</li>`;
}

/** The filter form: metric and setting words; the kind, unit and period stay as they are. */
function filterForm(q: RankingQuery): SafeHtml {
  return html`<form class="rank-filter" method="get" action="/results/${q.kind}" role="search">
  <label>Metric <input name="metric" value="${q.metric ?? ''}" maxlength="${RANKING_TERM_MAX_CHARS}" placeholder="e.g. decoding, KV cache, MMLU"></label>
  <label>Setting <input name="setting" value="${q.setting ?? ''}" maxlength="${RANKING_TERM_MAX_CHARS}" placeholder="e.g. GPU, COCO"></label>
  ${q.period !== 'all' ? html`<input type="hidden" name="period" value="${q.period}">` : ''}
  <button type="submit">Rank</button>
</form>`;
}

/** GET /results/:kind?metric=&setting=&unit=&period=&page= — papers ranked by their claimed number. */
export const resultRankingPage: Handler = handler({ query: RankingParams }, async (ctx) => {
  const q = rankingQuery(ctx.params.kind, ctx.query);
  const pageNo = pageNumber(ctx.query.page);
  const r = await resultRanking(ctx.app, q, ctx.now, PAGE_SIZE, (pageNo - 1) * PAGE_SIZE);
  if (pageNo > 1 && r.rows.length === 0) throw notFound(`Page ${pageNo} is past the end of this ranking.`);
  const title = rankingTitle(q);
  const canonical = rankingPath(q, pageNo);
  const feed = rankingPath(q, 1, '/feeds/results/', '.xml');
  const atomFeed = rankingPath(q, 1, '/feeds/results/', '.atom');
  const api = rankingPath(q, pageNo, '/api/results/');
  const kindTabs = tabs(
    FACT_KINDS.map((k) => ({
      href: rankingPath({ ...q, kind: k, unit: null }),
      label: KIND_HEADINGS[k],
      current: k === q.kind,
    })),
    'Kind of result',
    'tabs scroll',
  );
  const periodTabs = tabs(
    RANKING_PERIODS.map((p) => ({
      href: rankingPath({ ...q, period: p }),
      label: PERIOD_TABS[p],
      current: p === q.period,
    })),
    'Published',
    'pills',
  );
  const unitTabs =
    r.units.length > 1
      ? tabs(
          r.units.map((u) => ({
            href: rankingPath({ ...q, unit: u.unit }),
            label: html`${unitLabel(u.unit)} <span class="count">${u.papers.toLocaleString('en')}</span>`,
            current: u.unit === r.query.unit,
          })),
          'Unit',
          'pills',
        )
      : '';
  const body = html`<section class="list-head">
  <p class="crumbs"><a href="/results">Results</a> › ${KIND_HEADINGS[q.kind]}</p>
  <h1>${title}</h1>
  <p class="subtitle">${scope(r)}${r.query.unit !== null ? html` · in ${unitLabel(r.query.unit)}` : ''} · each paper once, by its largest claim · <a href="${feed}">RSS</a> · <a href="${atomFeed}">Atom</a> · <a href="${api}">JSON</a></p>
  ${kindTabs}
  ${periodTabs}
  ${unitTabs}
  ${filterForm(q)}
</section>
${
  r.rows.length === 0
    ? html`<p class="empty">No paper${r.since ? ' published in this window' : ''} claims ${q.metric || q.setting ? 'such a result' : 'a result of this kind'} yet. ${q.period !== 'all' ? html`<a href="${rankingPath({ ...q, period: 'all' })}">All time</a> · ` : ''}${q.metric || q.setting ? html`<a href="${rankingPath({ kind: q.kind, metric: null, setting: null, unit: null, period: q.period })}">All ${KIND_HEADINGS[q.kind].toLowerCase()}</a> · ` : ''}<a href="/results">Every ranking</a></p>`
    : html`<ol class="ranking">${r.rows.map((x) => row(x, ctx.now))}</ol>`
}
<p class="note rank-caveat">Numbers are claims read from abstracts by rules, not verified results: a paper's own baseline, data and hardware differ from the next one's. Each number links to its paper.</p>
${pager(`/results/${q.kind}`, ctx.query, pageNo, r.total)}`;
  return page(ctx, {
    papers: r.rows.map((x) => x.card.id),
    title,
    canonical,
    nav: 'results',
    feed: { title, rss: feed },
    body,
  });
});
