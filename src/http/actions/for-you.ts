import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import {
  addPaperSignal,
  addTextSignal,
  createFeedToken,
  hasFeed,
  isSignalKind,
  listSignals,
  removeSignal,
  revokeFeed,
  type TextSignalKind,
} from '../../services/recommendations.js';
import { paperOr404 } from '../find-paper.js';
import { authorPath } from '../pages/author.js';
import { text } from '../params.js';
import { handler, json, redirect } from '../route.js';
import { refererPath } from '../server.js';
import { communityPage } from '../ui/layout.js';
import { signalsView } from '../ui/recs-views.js';

/**
 * The reader's "For you" signals: "not interested" and "more like this" from any card, and
 * follows and mutes added or removed in settings. Forms without JavaScript: each redirects back.
 */

/** POST /papers/:paper/not-interested */
export const notInterested = handler({}, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  await addPaperSignal(c.app, c.actor, 'mute_paper', p.id);
  if (c.wantsJson) return json({ muted: true });
  return redirect(refererPath(c.req) ?? '/for-you', 303);
});

/** POST /papers/:paper/more-like-this */
export const moreLikeThis = handler({}, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  await addPaperSignal(c.app, c.actor, 'seed', p.id);
  if (c.wantsJson) return json({ seed: true });
  return redirect(refererPath(c.req) ?? '/for-you', 303);
});

function kindParam(raw: string | undefined): TextSignalKind {
  if (!raw || !isSignalKind(raw) || raw === 'mute_paper' || raw === 'seed')
    throw new AppError(
      'invalid',
      'kind is one of follow_author, follow_org, follow_category, follow_search, mute_author, mute_topic.',
      {
        parameter: 'kind',
      },
    );
  return raw;
}

/**
 * Where a signal form goes back to: an author page's Follow button (`back=author`) to the author
 * (a name's spaces keep the Referer out of redirects), every other form to settings.
 */
function backTo(body: { kind?: string; value?: string; back?: string }): string {
  return body.back === 'author' && body.kind === 'follow_author' && body.value
    ? authorPath(body.value)
    : '/settings/for-you';
}

/** POST /for-you/signals — follow or mute by name: `kind`, `value`. */
export const addSignal = handler({ body: z.object({ kind: text(), value: text(), back: text() }) }, async (c) => {
  await addTextSignal(c.app, c.actor, kindParam(c.body.kind), c.body.value ?? '');
  return redirect(backTo(c.body), 303);
});

/** POST /for-you/signals/remove — `kind`, `value` as listed in settings. */
export const deleteSignal = handler({ body: z.object({ kind: text(), value: text(), back: text() }) }, async (c) => {
  const kind = c.body.kind;
  if (!kind || !isSignalKind(kind)) throw new AppError('invalid', 'Unknown kind of signal.', { parameter: 'kind' });
  if (!c.body.value) throw new AppError('invalid', 'value is missing.', { parameter: 'value' });
  await removeSignal(c.app, c.actor, kind, c.body.value);
  if (c.body.back === 'author') return redirect(backTo(c.body), 303);
  return redirect(refererPath(c.req) ?? '/settings/for-you', 303);
});

/** POST /settings/for-you/feed — a new private feed address (the old one stops working), shown once. */
export const newFeed = handler({}, async (c) => {
  const token = await createFeedToken(c.app, c.actor);
  const base = c.app.config.baseUrl;
  return communityPage(
    c,
    'Your signals',
    signalsView(await listSignals(c.app, c.actor), c.csrf, await hasFeed(c.app, c.actor), {
      rss: `${base}/feeds/for-you/${token}.xml`,
      atom: `${base}/feeds/for-you/${token}.atom`,
    }),
  );
});

/** POST /settings/for-you/feed/revoke — the private feed address stops working. */
export const revokeFeedAddress = handler({}, async (c) => {
  await revokeFeed(c.app, c.actor);
  return redirect('/settings/for-you', 303);
});
