import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import {
  confirmSubscription,
  preferencesOf,
  savePreferences,
  subscribe,
  subscriberFromToken,
  subscriberLinks,
  unsubscribe,
} from '../../services/subscriptions.js';
import { text } from '../params.js';
import { type Ctx, handler, type Reply } from '../route.js';
import { page } from '../ui/layout.js';
import {
  invalidLink,
  preferencesForm,
  subscribeConfirmed,
  subscribeFailed,
  subscribeResult,
  unsubscribeConfirm,
  unsubscribed,
  type View,
} from '../ui/subscription-views.js';

/**
 * Email subscriptions. Every link from a mail carries a signed token: it is the authorisation, so
 * those forms need no session and no CSRF token. POST /unsubscribe is also the RFC 8058 one-click
 * endpoint mail clients call with "List-Unsubscribe=One-Click". The token never leaves in a Referer.
 */
const NO_REFERRER = { 'referrer-policy': 'no-referrer' };

function show(c: Ctx<unknown, unknown>, v: View, status = 200): Promise<Reply> {
  return page(c, { title: v.title, nav: 'none', body: v.body, status, headers: NO_REFERRER });
}

const Token = z.object({ token: text() });

/** POST /subscribe — the form on every page. */
export const postSubscribe = handler({ body: z.object({ email: text() }) }, async (c) => {
  const email = c.body.email ?? '';
  try {
    return show(c, subscribeResult(email.trim(), await subscribe(c.app, email)));
  } catch (err) {
    if (err instanceof AppError) return show(c, subscribeFailed(err.message), 400);
    c.req.log.error({ err }, 'subscribe failed');
    return show(
      c,
      subscribeFailed('The confirmation mail could not be sent just now. Please try again in a few minutes.'),
      503,
    );
  }
});

/** GET /subscribe/confirm?token= */
export const getConfirm = handler({ query: Token }, async (c) => {
  const sub = await confirmSubscription(c.app, c.query.token);
  if (!sub) return show(c, invalidLink(), 400);
  return show(c, subscribeConfirmed(sub.email, subscriberLinks(c.app, sub).preferencesUrl));
});

/** GET /unsubscribe?token= — a button, not an unsubscription (link scanners fetch links in mail). */
export const getUnsubscribe = handler({ query: Token }, async (c) => {
  const token = c.query.token ?? '';
  const sub = await subscriberFromToken(c.app, 'unsubscribe', token);
  if (!sub) return show(c, invalidLink(), 400);
  if (sub.status === 'unsubscribed') return show(c, unsubscribed(sub.email));
  return show(c, unsubscribeConfirm(sub.email, token));
});

/** POST /unsubscribe — the page's button (token in the form) and the one-click POST (token in the URL). */
export const postUnsubscribe = handler({ query: Token, body: Token }, async (c) => {
  const sub = await unsubscribe(c.app, c.query.token ?? c.body.token);
  if (!sub) return show(c, invalidLink(), 400);
  return show(c, unsubscribed(sub.email));
});

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** GET /preferences?token= */
export const getPreferences = handler({ query: Token }, async (c) => {
  const token = c.query.token ?? '';
  const sub = await subscriberFromToken(c.app, 'preferences', token);
  if (!sub) return show(c, invalidLink(), 400);
  return show(
    c,
    preferencesForm({
      email: sub.email,
      status: sub.status,
      prefs: preferencesOf(sub),
      action: `/preferences?token=${token}`,
      unsubscribeUrl: subscriberLinks(c.app, sub).unsubscribeUrl,
    }),
  );
});

const PreferencesBody = z.object({
  frequency: text(),
  send_hour: text(),
  time_zone: text(),
  paper_count: text(),
  min_upvotes: text(),
  categories: text(),
  keywords: text(),
  organizations: text(),
});

/** POST /preferences?token= */
export const postPreferences = handler({ query: Token, body: PreferencesBody }, async (c) => {
  const token = c.query.token ?? '';
  const sub = await subscriberFromToken(c.app, 'preferences', token);
  if (!sub) return show(c, invalidLink(), 400);
  const b = c.body;
  const input = {
    frequency: b.frequency,
    sendHour: b.send_hour,
    timeZone: b.time_zone,
    paperCount: b.paper_count,
    minUpvotes: b.min_upvotes || '0',
    categories: splitList(b.categories),
    keywords: splitList(b.keywords),
    organizations: splitList(b.organizations),
  };
  const r = await savePreferences(c.app, sub, input);
  const common = {
    email: sub.email,
    status: sub.status,
    action: `/preferences?token=${token}`,
    unsubscribeUrl: subscriberLinks(c.app, sub).unsubscribeUrl,
  };
  if (!r.ok) {
    // Show what was typed back, with the stored values where the input could not be read.
    const shown = {
      ...preferencesOf(sub),
      categories: input.categories,
      keywords: input.keywords,
      organizations: input.organizations,
    };
    return show(c, preferencesForm({ ...common, prefs: shown, errors: r.errors }), 400);
  }
  return show(c, preferencesForm({ ...common, prefs: preferencesOf(r.subscriber), saved: true }));
});
