import { FACT_KINDS } from '../../facts/fact.js';
import { html } from '../../lib/html-template.js';
import { KIND_HEADINGS, type RankingQuery, rankingPath } from '../../model/result-ranking.js';
import { resultsIndex } from '../../services/results.js';
import { type Handler, handler } from '../route.js';
import { page } from '../ui/layout.js';

/** What each kind's entry says it ranks. */
const KIND_BLURBS: Record<(typeof FACT_KINDS)[number], string> = {
  speedup: 'How many times faster: decoding, training, inference, throughput.',
  reduction: 'How much less: memory, KV cache, FLOPs, parameters, cost.',
  improvement: 'How much better than a baseline: accuracy, F1, success rate.',
  score: 'The score reached on a benchmark: accuracy, F1, mIoU, AUC.',
  scale: 'How big: parameters, tokens, images, participants of a new data set.',
};

/** Example query terms under the index: the search language filters by the same facts. */
const SEARCH_EXAMPLES = ['speedup:>2', 'kind:reduction metric:"kv cache"', 'setting:gpu speedup:>1.5'];

/** GET /results — every ranking: per kind, its windows and the metrics and settings most claimed. */
export const resultsPage: Handler = handler({}, async (ctx) => {
  const index = await resultsIndex(ctx.app, FACT_KINDS);
  const all = (kind: RankingQuery['kind'], extra: Partial<RankingQuery> = {}) =>
    rankingPath({ kind, metric: null, setting: null, unit: null, period: 'all', ...extra });
  const body = html`<section class="list-head">
  <h1>Results</h1>
  <p class="subtitle">The headline numbers of every paper's abstract, ranked: the largest claimed speedups and reductions, the best reported scores. Pick a kind, then narrow it by metric, setting or week.</p>
</section>
<div class="results-index">${index.kinds.map(
    (k) => html`<section class="side-box results-kind" aria-labelledby="kind-${k.kind}">
  <h2 id="kind-${k.kind}"><a href="${all(k.kind)}">${KIND_HEADINGS[k.kind]}</a> <span class="count">${k.papers.toLocaleString('en')} ${k.papers === 1 ? 'paper' : 'papers'}</span></h2>
  <p class="muted">${KIND_BLURBS[k.kind]}</p>
  <p class="results-windows"><a href="${all(k.kind, { period: 'week' })}">This week</a> · <a href="${all(k.kind, { period: 'month' })}">This month</a> · <a href="${all(k.kind, { period: 'year' })}">This year</a> · <a href="${all(k.kind)}">All time</a></p>
  ${
    k.metrics.length > 0
      ? html`<h3>By metric</h3><ul class="fact-chips">${k.metrics.map((m) => html`<li class="fact-chip fact-${k.kind}"><a href="${all(k.kind, { metric: m.term })}">${m.term} <span class="count">${m.papers.toLocaleString('en')}</span></a></li>`)}</ul>`
      : ''
  }
  ${
    k.settings.length > 0
      ? html`<h3>By setting</h3><ul class="fact-chips">${k.settings.map((m) => html`<li class="fact-chip"><a href="${all(k.kind, { setting: m.term })}">${m.term} <span class="count">${m.papers.toLocaleString('en')}</span></a></li>`)}</ul>`
      : ''
  }
</section>`,
  )}</div>
<p class="note">Search by results too: ${SEARCH_EXAMPLES.map((q, i) => html`${i > 0 ? ' · ' : ''}<a href="/papers?q=${encodeURIComponent(q)}"><code>${q}</code></a>`)}. Numbers are claims read from abstracts by rules, not verified results.</p>`;
  return page(ctx, { title: 'Results', canonical: '/results', nav: 'results', body });
});
