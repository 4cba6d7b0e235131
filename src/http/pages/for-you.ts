import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import {
  FOR_YOU_PAGE,
  hasFeed,
  listSignals,
  MAX_FOR_YOU_LIMIT,
  type Period,
  recommendations,
} from '../../services/recommendations.js';
import { text } from '../params.js';
import { handler, json } from '../route.js';
import { paperCard } from '../ui/card.js';
import { tabs } from '../ui/components.js';
import { communityPage, page } from '../ui/layout.js';
import { signalsView } from '../ui/recs-views.js';

/** `period`: day or week (default week); anything else is a 400 naming it. */
function periodParam(raw: string | undefined): Period {
  if (raw === undefined || raw === '' || raw === 'week') return 'week';
  if (raw === 'day') return 'day';
  throw new AppError('invalid', 'period is day or week.', { parameter: 'period' });
}

function limitParam(raw: string | undefined): number {
  if (raw === undefined || raw === '') return FOR_YOU_PAGE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_FOR_YOU_LIMIT)
    throw new AppError('invalid', `limit is a whole number from 1 to ${MAX_FOR_YOU_LIMIT}.`, { parameter: 'limit' });
  return n;
}

/** GET /for-you — the reader's recommendations for the day or the week, each with why. */
export const forYouPage = handler({ query: z.object({ period: text() }) }, async (c) => {
  const period = periodParam(c.query.period);
  const r = await recommendations(c.app, c.actor, { period, limit: FOR_YOU_PAGE });
  const viewer = await c.viewer();
  const body = html`<section class="list-head">
  <h1>For you</h1>
  <p class="subtitle">${r.note ?? `Ranked from your upvotes, saves, follows and “more like this”; “not interested” hides a paper and shows fewer like it.`} <a href="/settings/for-you">Your signals</a>.</p>
  ${tabs([
    { href: '/for-you?period=day', label: 'Today', current: period === 'day' },
    { href: '/for-you', label: 'This week', current: period === 'week' },
  ])}
</section>
${
  r.items.length === 0
    ? html`<p class="empty">No new papers in this period.</p>`
    : html`<div class="cards">${r.items.map(
        (i) => html`<div class="rec"><p class="why">Why: ${i.why}</p>${paperCard(i.card, viewer, c.now)}</div>`,
      )}</div>`
}`;
  return page(c, { title: 'For you', nav: 'none', body });
});

/** GET /settings/for-you — every signal the recommendations read, each removable, and forms to add. */
export const forYouSettingsPage = handler({}, async (c) =>
  communityPage(
    c,
    'Your signals',
    signalsView(await listSignals(c.app, c.actor), c.csrf, await hasFeed(c.app, c.actor)),
  ),
);

/** GET /api/for-you — the same list as JSON (token scope read). */
export const forYouApi = handler({ query: z.object({ period: text(), limit: text() }) }, async (c) => {
  const r = await recommendations(c.app, c.actor, {
    period: periodParam(c.query.period),
    limit: limitParam(c.query.limit),
  });
  return json({
    period: r.period,
    fallback: r.fallback,
    note: r.note,
    papers: r.items.map((i) => ({
      id: i.card.arxivId,
      title: i.card.title,
      authors: i.card.authors,
      publishedAt: i.card.publishedAt,
      upvotes: i.card.upvotes,
      score: Number(i.score.toFixed(4)),
      why: i.why,
    })),
  });
});
