import type { FastifyInstance } from 'fastify';
import type { App } from '../services/app.js';
import * as subscriptions from './handlers/subscriptions.js';

/**
 * The route table of email subscriptions, beside the site's (routes.ts). Links from mail carry a
 * signed token that is their authorisation: no session and no CSRF token. POST /unsubscribe is the
 * RFC 8058 one-click endpoint mail clients call with "List-Unsubscribe=One-Click".
 */
export const subscriptionRoutes = [
  { method: 'POST', url: '/subscribe', handler: subscriptions.postSubscribe },
  { method: 'GET', url: '/subscribe/confirm', handler: subscriptions.getConfirm },
  { method: 'GET', url: '/unsubscribe', handler: subscriptions.getUnsubscribe },
  { method: 'POST', url: '/unsubscribe', handler: subscriptions.postUnsubscribe },
  { method: 'GET', url: '/preferences', handler: subscriptions.getPreferences },
  { method: 'POST', url: '/preferences', handler: subscriptions.postPreferences },
] as const;

export async function registerSubscriptionRoutes(server: FastifyInstance, app: App): Promise<void> {
  await server.register(async (s) => {
    await subscriptions.acceptSubscriptionForms(s);
    for (const r of subscriptionRoutes) s.route({ method: r.method, url: r.url, handler: r.handler(app) as never });
  });
}
