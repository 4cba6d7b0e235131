import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../services/app.js';
import {
  confirmSubscription,
  preferencesOf,
  SubscriptionError,
  savePreferences,
  subscribe,
  subscriberFromToken,
  subscriberLinks,
  unsubscribe,
} from '../../services/subscriptions.js';
import { preferencesPage } from '../ui/pages/preferences.js';
import { invalidLinkPage, subscribeConfirmedPage } from '../ui/pages/subscribe-confirmed.js';
import { subscribeErrorPage, subscribeResultPage } from '../ui/pages/subscribe-result.js';
import { unsubscribeConfirmPage, unsubscribedPage } from '../ui/pages/unsubscribe.js';

/**
 * Handlers of the subscription routes (the table is in ../routes.ts). Every link from a mail carries
 * a signed token: it is the authorisation, so these forms need no session and no CSRF token.
 */
/** Largest form body accepted here; the preferences form is far smaller. */
const FORM_BODY_LIMIT_BYTES = 16 * 1024;

type Req = FastifyRequest<{
  Querystring: Record<string, string | undefined>;
  Body: Record<string, unknown> | string | undefined;
}>;

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .send(body);
}

function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** Forms (urlencoded) and the RFC 8058 one-click POST, which some clients send as multipart. */
export async function acceptSubscriptionForms(s: FastifyInstance): Promise<void> {
  if (!s.hasContentTypeParser('application/x-www-form-urlencoded'))
    await s.register(formbody, { bodyLimit: FORM_BODY_LIMIT_BYTES });
  if (!s.hasContentTypeParser('multipart/form-data')) {
    // The token is in the URL; a one-click body carries nothing else we need, so it is read as text.
    s.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
      (_req, body, done) => done(null, body),
    );
  }
}

export function postSubscribe(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const email = field(req.body, 'email') ?? '';
    try {
      const r = await subscribe(app, email);
      return html(reply, 200, subscribeResultPage(email.trim(), r));
    } catch (err) {
      if (err instanceof SubscriptionError) return html(reply, 400, subscribeErrorPage(err.message));
      req.log.error({ err }, 'subscribe failed');
      return html(
        reply,
        503,
        subscribeErrorPage('The confirmation mail could not be sent just now. Please try again in a few minutes.'),
      );
    }
  };
}

export function getConfirm(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const sub = await confirmSubscription(app, req.query.token);
    if (!sub) return html(reply, 400, invalidLinkPage());
    return html(reply, 200, subscribeConfirmedPage(sub.email, subscriberLinks(app, sub).preferencesUrl));
  };
}

export function getUnsubscribe(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const token = req.query.token ?? '';
    const sub = await subscriberFromToken(app, 'unsubscribe', token);
    if (!sub) return html(reply, 400, invalidLinkPage());
    if (sub.status === 'unsubscribed') return html(reply, 200, unsubscribedPage(sub.email));
    return html(reply, 200, unsubscribeConfirmPage(sub.email, token));
  };
}

/** The page's button and the RFC 8058 one-click POST (body "List-Unsubscribe=One-Click"). */
export function postUnsubscribe(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const token = req.query.token ?? field(req.body, 'token');
    const sub = await unsubscribe(app, token);
    if (!sub) return html(reply, 400, invalidLinkPage());
    return html(reply, 200, unsubscribedPage(sub.email));
  };
}

function splitList(v: string | undefined): string[] {
  return (v ?? '')
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function getPreferences(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const token = req.query.token ?? '';
    const sub = await subscriberFromToken(app, 'preferences', token);
    if (!sub) return html(reply, 400, invalidLinkPage());
    return html(
      reply,
      200,
      preferencesPage({
        email: sub.email,
        status: sub.status,
        prefs: preferencesOf(sub),
        action: `/preferences?token=${token}`,
        unsubscribeUrl: subscriberLinks(app, sub).unsubscribeUrl,
      }),
    );
  };
}

export function postPreferences(app: App) {
  return async (req: Req, reply: FastifyReply) => {
    const token = req.query.token ?? '';
    const sub = await subscriberFromToken(app, 'preferences', token);
    if (!sub) return html(reply, 400, invalidLinkPage());
    const b = req.body;
    const input = {
      frequency: field(b, 'frequency'),
      sendHour: field(b, 'send_hour'),
      timeZone: field(b, 'time_zone'),
      paperCount: field(b, 'paper_count'),
      minUpvotes: field(b, 'min_upvotes') || '0',
      categories: splitList(field(b, 'categories')),
      keywords: splitList(field(b, 'keywords')),
      organizations: splitList(field(b, 'organizations')),
    };
    const r = await savePreferences(app, sub, input);
    const common = {
      email: sub.email,
      status: sub.status,
      action: `/preferences?token=${token}`,
      unsubscribeUrl: subscriberLinks(app, sub).unsubscribeUrl,
    };
    if (!r.ok) {
      // Show what was typed back, with the stored values where the input could not be read.
      const shown = {
        ...preferencesOf(sub),
        categories: input.categories,
        keywords: input.keywords,
        organizations: input.organizations,
      };
      return html(reply, 400, preferencesPage({ ...common, prefs: shown, errors: r.errors }));
    }
    return html(reply, 200, preferencesPage({ ...common, prefs: preferencesOf(r.subscriber), saved: true }));
  };
}
