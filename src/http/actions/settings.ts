import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import type { UserActor } from '../../model/actor.js';
import * as accounts from '../../services/accounts.js';
import { MAIL_OFF_WHERE } from '../../services/mail-delivery.js';
import { subscriberLinks, subscriptionForUser } from '../../services/subscriptions.js';
import { idParam, text } from '../params.js';
import { STATUS } from '../respond.js';
import { type Ctx, handler, type Reply } from '../route.js';
import { communityPage, type Flash } from '../ui/layout.js';
import { settingsView } from '../ui/settings-view.js';

/**
 * GET /settings and its forms: password, address, privacy, the confirmation link again, API tokens.
 * Every form answers with the settings page and what happened at its top.
 */
async function settings(c: Ctx<unknown, unknown>, flash?: Flash, newToken?: string, status = 200): Promise<Reply> {
  const user = await accounts.currentUser(c.app, c.actor);
  if (!user) throw new AppError('unauthenticated', 'Log in first.');
  const tokens = await accounts.myApiTokens(c.app, c.actor);
  const sub = await subscriptionForUser(c.app, user.id, user.email);
  const digest = sub ? { status: sub.status, preferencesUrl: subscriberLinks(c.app, sub).preferencesUrl } : null;
  const view = {
    username: user.username,
    email: user.email,
    emailVerified: user.email_verified === 1,
    upvotesPublic: user.upvotes_public === 1,
    tokens,
    newToken,
    digest,
  };
  return communityPage(c, 'Settings', settingsView(c.csrf, view), { flash, status });
}

/** A settings form: its change, then the page with "done" or the refusal. */
function settingsAction<B extends z.ZodObject<Record<string, z.ZodOptional<z.ZodString>>>>(
  body: B,
  change: (c: Ctx<unknown, z.infer<B>>, me: UserActor) => Promise<string | { token: string }>,
) {
  return handler({ body }, async (c) => {
    try {
      const r = await change(c, c.actor as UserActor);
      return typeof r === 'string'
        ? settings(c, { kind: 'ok', text: r })
        : settings(c, { kind: 'ok', text: 'Token created.' }, r.token);
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'rate_limited') throw err;
      return settings(c, { kind: 'error', text: err.message }, undefined, STATUS[err.code]);
    }
  });
}

export const settingsPage = handler({}, async (c) => settings(c));

export const changePassword = settingsAction(z.object({ current: text(), next: text() }), async (c, me) => {
  await accounts.changePassword(c.app, me, {
    current: c.body.current ?? '',
    next: c.body.next ?? '',
    keepToken: c.req.caller?.sessionToken,
  });
  return 'Password changed; your other sessions were logged out.';
});

export const changeEmail = settingsAction(z.object({ password: text(), email: text() }), async (c, me) => {
  await accounts.requestEmailChange(c.app, me, { password: c.body.password ?? '', email: c.body.email ?? '' });
  return c.app.mailer
    ? 'If that address is free, a confirmation link is on its way to it.'
    : `If that address is free, a confirmation link was made for it. ${MAIL_OFF_WHERE}`;
});

export const privacy = settingsAction(z.object({ upvotes_public: text() }), async (c, me) => {
  await accounts.setUpvotesPublic(c.app, me, c.body.upvotes_public === '1');
  return 'Saved.';
});

export const resendVerification = settingsAction(z.object({}), async (c, me) => {
  await accounts.resendVerification(c.app, me);
  return c.app.mailer ? 'Confirmation link sent.' : `Confirmation link made. ${MAIL_OFF_WHERE}`;
});

export const createToken = settingsAction(z.object({ name: text(), scope: text() }), async (c, me) =>
  accounts.createApiToken(c.app, me, { name: c.body.name ?? '', scope: c.body.scope === 'write' ? 'write' : 'read' }),
);

export const revokeToken = settingsAction(z.object({}), async (c, me) => {
  await accounts.revokeMyApiToken(c.app, me, idParam(c.params.tokenId));
  return 'Token revoked.';
});
