import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../../lib/html.js';
import { createMailer } from '../../mail/transport.js';
import { isAdmin, isModerator } from '../../model/actor.js';
import { normaliseArxivId } from '../../model/arxiv-id.js';
import * as accounts from '../../services/accounts.js';
import type { App } from '../../services/app.js';
import { claimAuthorship, decide, listPendingClaims } from '../../services/claims.js';
import {
  commentHistory,
  deleteComment,
  editMyComment,
  hideComment,
  postComment,
  unhideComment,
} from '../../services/comments.js';
import { bumpContentVersion } from '../../services/content-version.js';
import { type ServiceContext, serviceContext } from '../../services/context.js';
import { ServiceError } from '../../services/errors.js';
import {
  banUser,
  dismissFlags,
  flag,
  hideSubmission,
  publicLog,
  queue,
  setRole,
  unbanUser,
} from '../../services/moderation.js';
import {
  addMember,
  createOrganization,
  linkPaper,
  organizationPage as orgData,
  removeOrgMember,
} from '../../services/organizations.js';
import { profile } from '../../services/profiles.js';
import { readingList, readingListBibtex, setSaved } from '../../services/reading-list.js';
import { submitPaper } from '../../services/submissions.js';
import { subscriberLinks, subscriptionForUser } from '../../services/subscriptions.js';
import { setVote } from '../../services/votes.js';
import { findComment } from '../../store/comment-store.js';
import { arxivIdOfPaper } from '../../store/community-paper-store.js';
import { memberRole } from '../../store/org-member-store.js';
import { findPaperByArxivId } from '../../store/paper-store.js';
import { findSubmission } from '../../store/submission-store.js';
import { registerCommunityApi } from '../api/community-api.js';
import { paperParam, paperUrls } from '../community/paper-urls.js';
import { confirmForm, loginForm, resetRequestForm, resetSetForm, signupForm } from '../ui/account-pages.js';
import {
  historyPage,
  moderationLogPage,
  moderationQueuePage,
  newOrganizationPage,
  organizationPage,
  profilePage,
  submitPage,
} from '../ui/community-pages.js';
import { settingsPage } from '../ui/settings-page.js';
import { cookieOptions, csrfHook, ensureParsers, resolveActorHook, SESSION_COOKIE } from './request-context.js';
import { isServiceError, refusal, safeNext, sendPage, wantsJson } from './respond.js';
import { communityViewHooks } from './view-hooks.js';

type Req = FastifyRequest;
type Body = Record<string, string | undefined>;
const contexts = new WeakMap<App, ServiceContext>();

/** Tests may give the community its own context (a clock, an arXiv look-up) before building the server. */
export function setCommunityContext(app: App, ctx: ServiceContext): void {
  contexts.set(app, ctx);
}

export function communityContext(app: App): ServiceContext {
  let ctx = contexts.get(app);
  if (!ctx) {
    ctx = serviceContext({ db: app.db, config: app.config, mailer: createMailer(app.config) });
    contexts.set(app, ctx);
  }
  return ctx;
}

const body = (req: Req): Body => (req.body ?? {}) as Body;
const int = (v: unknown): number => (typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : -1);
const DAY_S = 86_400;

/**
 * The community's route table (accounts, taking part, moderation, organisations). Read it top to
 * bottom to find any page or action; moderation and admin actions sit in guarded sub-routers.
 */
export async function registerCommunity(server: FastifyInstance, app: App): Promise<void> {
  const ctx = communityContext(app);
  await ensureParsers(server);
  server.addHook(
    'preHandler',
    resolveActorHook(ctx, (req) => communityViewHooks(app, ctx, req)),
  );
  await server.register(async (s) => {
    s.addHook('preHandler', csrfHook(ctx));
    // Votes, comments, submissions and moderation change what pages show: cached pages go stale.
    s.addHook('onSend', async (req, reply, payload) => {
      if (req.method !== 'GET' && reply.statusCode < 400) bumpContentVersion(app);
      return payload;
    });
    s.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      if (isServiceError(err)) {
        const status = refusal(reply, err);
        if (wantsJson(req) || req.viaBearer || req.url.startsWith('/api/'))
          return reply.code(status).send({ error: err.message, ...(err.extra.link ? { url: err.extra.link } : {}) });
        return sendPage(req, reply, 'Not possible', '', {
          status,
          flash: { kind: 'error', text: err.message, link: err.extra.link },
        });
      }
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) req.log.error(err);
      return reply.code(status).send({ error: status === 500 ? 'Internal error.' : err.message });
    });

    const paperOr404 = async (req: Req) => {
      const id = normaliseArxivId(paperParam(req.params));
      const p = id ? await findPaperByArxivId(ctx.db, id) : undefined;
      if (!p) throw new ServiceError('not_found', 'No such paper.');
      return p;
    };
    const toLogin = (req: Req, reply: FastifyReply) => reply.redirect(`/login?next=${encodeURIComponent(req.url)}`);
    const setSession = (req: Req, reply: FastifyReply, r: accounts.LoginResult) =>
      reply.setCookie(SESSION_COOKIE, r.token, cookieOptions(req, ctx.config.community.sessionDays * DAY_S));

    // ---- accounts ----
    s.get('/signup', async (req, reply) => sendPage(req, reply, 'Sign up', signupForm(req.csrfToken)));
    s.post('/signup', async (req, reply) => {
      const b = body(req);
      try {
        await accounts.signup(ctx, {
          username: b.username ?? '',
          email: b.email ?? '',
          password: b.password ?? '',
          ip: req.ip,
        });
      } catch (err) {
        if (!isServiceError(err) || err.code === 'rate_limited') throw err;
        return sendPage(req, reply, 'Sign up', signupForm(req.csrfToken, b), {
          status: refusal(reply, err),
          flash: { kind: 'error', text: err.message },
        });
      }
      return sendPage(
        req,
        reply,
        'Check your mail',
        '<h1>Check your mail</h1><p>We sent a link to confirm your address (unless it already has an account — then a note). Follow it, then log in.</p>',
      );
    });
    s.get('/verify-email', async (req, reply) =>
      sendPage(
        req,
        reply,
        'Confirm your address',
        confirmForm(
          req.csrfToken,
          'Confirm your address',
          '/verify-email',
          String((req.query as Body).token ?? ''),
          'Confirm',
        ),
      ),
    );
    s.post('/verify-email', async (req, reply) => {
      await accounts.verifyEmail(ctx, body(req).token ?? '');
      return sendPage(
        req,
        reply,
        'Address confirmed',
        `<h1>Address confirmed</h1><p>${req.actor.kind === 'user' ? '<a href="/">Go to Daily Papers</a>' : '<a href="/login">Log in</a>'}</p>`,
      );
    });
    s.get('/login', async (req, reply) =>
      sendPage(req, reply, 'Log in', loginForm(req.csrfToken, '', safeNext((req.query as Body).next, ''))),
    );
    s.post('/login', async (req, reply) => {
      const b = body(req);
      try {
        const r = await accounts.login(ctx, {
          login: b.login ?? '',
          password: b.password ?? '',
          ip: req.ip,
          previousToken: req.cookies[SESSION_COOKIE],
        });
        setSession(req, reply, r);
        return reply.redirect(safeNext(b.next), 303);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        return sendPage(req, reply, 'Log in', loginForm(req.csrfToken, b.login ?? '', safeNext(b.next, '')), {
          status: refusal(reply, err),
          flash: { kind: 'error', text: err.message },
        });
      }
    });
    s.post('/logout', async (req, reply) => {
      await accounts.logout(ctx, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/', 303);
    });
    s.get('/reset-password', async (req, reply) => {
      const token = (req.query as Body).token;
      return sendPage(
        req,
        reply,
        'Reset password',
        token ? resetSetForm(req.csrfToken, token) : resetRequestForm(req.csrfToken),
      );
    });
    s.post('/reset-password', async (req, reply) => {
      await accounts.requestPasswordReset(ctx, { email: body(req).email ?? '', ip: req.ip });
      return sendPage(req, reply, 'Check your mail', `<h1>Check your mail</h1><p>${accounts.RESET_SENT}</p>`);
    });
    s.post('/reset-password/set', async (req, reply) => {
      const b = body(req);
      try {
        await accounts.resetPassword(ctx, { token: b.token ?? '', password: b.password ?? '' });
      } catch (err) {
        if (!isServiceError(err)) throw err;
        return sendPage(req, reply, 'Reset password', resetSetForm(req.csrfToken, b.token ?? ''), {
          status: refusal(reply, err),
          flash: { kind: 'error', text: err.message },
        });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return sendPage(
        req,
        reply,
        'Password changed',
        '<h1>Password changed</h1><p>Every session was logged out. <a href="/login">Log in</a> with the new password.</p>',
      );
    });
    s.get('/change-email/confirm', async (req, reply) =>
      sendPage(
        req,
        reply,
        'Confirm new address',
        confirmForm(
          req.csrfToken,
          'Confirm your new address',
          '/change-email/confirm',
          String((req.query as Body).token ?? ''),
          'Confirm',
        ),
      ),
    );
    s.post('/change-email/confirm', async (req, reply) => {
      await accounts.confirmEmailChange(ctx, body(req).token ?? '');
      return sendPage(req, reply, 'Address changed', '<h1>Address changed</h1>');
    });

    // ---- settings ----
    const settings = async (
      req: Req,
      reply: FastifyReply,
      flash?: { kind: 'ok' | 'error'; text: string },
      newToken?: string,
      status = 200,
    ) => {
      const user = await accounts.currentUser(ctx, req.actor);
      if (!user) return toLogin(req, reply);
      const tokens = await accounts.myApiTokens(ctx, req.actor);
      const sub = await subscriptionForUser(app, user.id, user.email);
      const digest = sub ? { status: sub.status, preferencesUrl: subscriberLinks(app, sub).preferencesUrl } : null;
      return sendPage(
        req,
        reply,
        'Settings',
        settingsPage(req.csrfToken, {
          username: user.username,
          email: user.email,
          emailVerified: user.email_verified === 1,
          upvotesPublic: user.upvotes_public === 1,
          tokens,
          newToken,
          digest,
        }),
        { flash, status },
      );
    };
    const settingsAction =
      (fn: (req: Req) => Promise<string | { token: string }>) => async (req: Req, reply: FastifyReply) => {
        if (req.actor.kind !== 'user') return toLogin(req, reply);
        try {
          const r = await fn(req);
          return typeof r === 'string'
            ? settings(req, reply, { kind: 'ok', text: r })
            : settings(req, reply, { kind: 'ok', text: 'Token created.' }, r.token);
        } catch (err) {
          if (!isServiceError(err)) throw err;
          return settings(req, reply, { kind: 'error', text: err.message }, undefined, refusal(reply, err));
        }
      };
    s.get('/settings', async (req, reply) => settings(req, reply));
    s.post(
      '/settings/password',
      settingsAction(async (req) => {
        await accounts.changePassword(ctx, req.actor, {
          current: body(req).current ?? '',
          next: body(req).next ?? '',
          keepToken: req.sessionToken,
        });
        return 'Password changed; your other sessions were logged out.';
      }),
    );
    s.post(
      '/settings/email',
      settingsAction(async (req) => {
        await accounts.requestEmailChange(ctx, req.actor, {
          password: body(req).password ?? '',
          email: body(req).email ?? '',
        });
        return 'If that address is free, a confirmation link is on its way to it.';
      }),
    );
    s.post(
      '/settings/privacy',
      settingsAction(async (req) => {
        await accounts.setUpvotesPublic(ctx, req.actor, body(req).upvotes_public === '1');
        return 'Saved.';
      }),
    );
    s.post(
      '/settings/resend-verification',
      settingsAction(async (req) => {
        await accounts.resendVerification(ctx, req.actor);
        return 'Confirmation link sent.';
      }),
    );
    s.post(
      '/settings/tokens',
      settingsAction(async (req) =>
        accounts.createApiToken(ctx, req.actor, {
          name: body(req).name ?? '',
          scope: body(req).scope === 'write' ? 'write' : 'read',
        }),
      ),
    );
    s.post(
      '/settings/tokens/:tokenId/revoke',
      settingsAction(async (req) => {
        await accounts.revokeMyApiToken(ctx, req.actor, int((req.params as Body).tokenId));
        return 'Token revoked.';
      }),
    );

    // ---- profiles, reading list ----
    s.get('/users/:username', async (req, reply) => {
      const v = await profile(ctx, req.actor, (req.params as Body).username ?? '');
      return sendPage(req, reply, v.username, profilePage(v, req.actor, req.csrfToken));
    });
    s.get('/saved', async (req, reply) => {
      if (req.actor.kind !== 'user') return toLogin(req, reply);
      const items = await readingList(ctx, req.actor);
      const list = items
        .map((i) => `<li><a href="/papers/${escapeHtml(i.arxivId)}">${escapeHtml(i.title)}</a></li>`)
        .join('');
      return sendPage(
        req,
        reply,
        'Saved',
        `<h1>Reading list</h1><p>Export: <a href="/saved.bib">BibTeX</a> · <a href="/saved.json">JSON</a></p><ul>${list || '<li>Nothing saved yet.</li>'}</ul>`,
      );
    });
    s.get('/saved.bib', async (req, reply) => {
      if (req.actor.kind !== 'user') return toLogin(req, reply);
      return reply
        .type('application/x-bibtex; charset=utf-8')
        .header('content-disposition', 'attachment; filename="paperboy-reading-list.bib"')
        .header('cache-control', 'private, no-store')
        .send(await readingListBibtex(ctx, req.actor));
    });
    s.get('/saved.json', async (req, reply) => {
      if (req.actor.kind !== 'user') return toLogin(req, reply);
      return reply
        .header('content-disposition', 'attachment; filename="paperboy-reading-list.json"')
        .header('cache-control', 'private, no-store')
        .send(await readingList(ctx, req.actor));
    });

    // ---- papers: page, votes, save, comments, claims ----
    for (const url of paperUrls('/papers', 'upvote'))
      s.post(url, async (req, reply) => {
        if (req.actor.kind !== 'user' && !wantsJson(req)) return toLogin(req, reply);
        const p = await paperOr404(req);
        const up = body(req).up !== '0';
        const r = await setVote(ctx, req.actor, p.id, up, req.ip);
        if (wantsJson(req)) return reply.send({ upvotes: r.upvotes, authorUpvotes: r.authorUpvotes, voted: up });
        return reply.redirect(
          safeNext(
            req.headers.referer ? new URL(req.headers.referer, 'http://x').pathname : '',
            `/papers/${p.arxiv_id}`,
          ),
          303,
        );
      });
    for (const url of paperUrls('/papers', 'save'))
      s.post(url, async (req, reply) => {
        if (req.actor.kind !== 'user' && !wantsJson(req)) return toLogin(req, reply);
        const p = await paperOr404(req);
        const saved = body(req).saved !== '0';
        await setSaved(ctx, req.actor, p.id, saved);
        if (wantsJson(req)) return reply.send({ saved });
        return reply.redirect(`/papers/${p.arxiv_id}`, 303);
      });
    for (const url of paperUrls('/papers', 'comments'))
      s.post(url, async (req, reply) => {
        if (req.actor.kind !== 'user') return toLogin(req, reply);
        const p = await paperOr404(req);
        const b = body(req);
        const c = await postComment(ctx, req.actor, {
          paperId: p.id,
          parentId: b.parent_id ? int(b.parent_id) : null,
          body: b.comment ?? '',
          ip: req.ip,
        });
        return reply.redirect(`/papers/${p.arxiv_id}#comment-${c.id}`, 303);
      });
    for (const url of paperUrls('/papers', 'claim'))
      s.post(url, async (req, reply) => {
        if (req.actor.kind !== 'user') return toLogin(req, reply);
        const p = await paperOr404(req);
        await claimAuthorship(ctx, req.actor, p.id, int(body(req).position));
        return sendPage(
          req,
          reply,
          'Claim sent',
          `<h1>Claim sent</h1><p>An admin will review it. <a href="/papers/${p.arxiv_id}">Back to the paper</a></p>`,
        );
      });
    const commentPaper = async (id: number) => {
      const c = await findComment(ctx.db, id);
      if (!c) throw new ServiceError('not_found', 'No such comment.');
      const p = await arxivIdOfPaper(ctx.db, c.paper_id);
      if (!p) throw new ServiceError('not_found', 'No such comment.');
      return { c, arxivId: p.arxivId };
    };
    s.post('/comments/:cid/edit', async (req, reply) => {
      const id = int((req.params as Body).cid);
      await editMyComment(ctx, req.actor, id, body(req).comment ?? '');
      return reply.redirect(`/papers/${(await commentPaper(id)).arxivId}#comment-${id}`, 303);
    });
    s.post('/comments/:cid/delete', async (req, reply) => {
      const id = int((req.params as Body).cid);
      const { arxivId } = await commentPaper(id);
      await deleteComment(ctx, req.actor, id);
      return reply.redirect(`/papers/${arxivId}`, 303);
    });
    s.post('/comments/:cid/flag', async (req, reply) => {
      const id = int((req.params as Body).cid);
      const { arxivId } = await commentPaper(id);
      await flag(ctx, req.actor, { targetType: 'comment', targetId: id, reason: body(req).reason ?? '', ip: req.ip });
      return sendPage(
        req,
        reply,
        'Flagged',
        `<h1>Thanks</h1><p>Moderators will look at it. <a href="/papers/${arxivId}">Back</a></p>`,
      );
    });
    s.post('/submissions/:sid/flag', async (req, reply) => {
      await flag(ctx, req.actor, {
        targetType: 'submission',
        targetId: int((req.params as Body).sid),
        reason: body(req).reason ?? '',
        ip: req.ip,
      });
      return sendPage(req, reply, 'Flagged', '<h1>Thanks</h1><p>Moderators will look at it.</p>');
    });
    s.get('/comments/:cid/history', async (req, reply) => {
      const h = await commentHistory(ctx, req.actor, int((req.params as Body).cid));
      return sendPage(req, reply, 'Comment history', historyPage(h.current, h.revisions));
    });

    // ---- submit ----
    s.get('/submit', async (req, reply) =>
      req.actor.kind === 'user' ? sendPage(req, reply, 'Submit', submitPage(req.csrfToken)) : toLogin(req, reply),
    );
    s.post('/submit', async (req, reply) => {
      if (req.actor.kind !== 'user') return toLogin(req, reply);
      const input = body(req).arxivId ?? '';
      try {
        const r = await submitPaper(ctx, req.actor, input, req.ip);
        return reply.redirect(r.link, 303);
      } catch (err) {
        if (!isServiceError(err)) throw err;
        return sendPage(req, reply, 'Submit', submitPage(req.csrfToken, input), {
          status: refusal(reply, err),
          flash: { kind: 'error', text: err.message, link: err.extra.link },
        });
      }
    });

    // ---- organisations ----
    s.get('/new-organisation', async (req, reply) =>
      isModerator(req.actor)
        ? sendPage(req, reply, 'New organisation', newOrganizationPage(req.csrfToken))
        : toLogin(req, reply),
    );
    s.post('/orgs', async (req, reply) => {
      const org = await createOrganization(ctx, req.actor, {
        name: body(req).name ?? '',
        fullname: body(req).fullname,
      });
      return reply.redirect(`/orgs/${encodeURIComponent(org.name)}/members`, 303);
    });
    s.get('/orgs/:name/members', async (req, reply) => {
      const d = await orgData(ctx, (req.params as Body).name ?? '');
      const canManage =
        isAdmin(req.actor) ||
        (req.actor.kind === 'user' && (await memberRole(ctx.db, d.org.id, req.actor.id)) === 'admin');
      return sendPage(
        req,
        reply,
        d.org.fullname ?? d.org.name,
        organizationPage(req.csrfToken, req.actor, {
          name: d.org.name,
          fullname: d.org.fullname,
          members: d.members,
          canManage,
        }),
      );
    });
    s.post('/orgs/:name/members', async (req, reply) => {
      const name = (req.params as Body).name ?? '';
      await addMember(ctx, req.actor, name, body(req).username ?? '', body(req).role === 'admin' ? 'admin' : 'member');
      return reply.redirect(`/orgs/${encodeURIComponent(name)}/members`, 303);
    });
    s.post('/orgs/:name/members/:username/remove', async (req, reply) => {
      const { name = '', username = '' } = req.params as Body;
      await removeOrgMember(ctx, req.actor, name, username);
      return reply.redirect(`/orgs/${encodeURIComponent(name)}/members`, 303);
    });
    s.post('/orgs/:name/papers', async (req, reply) => {
      const name = (req.params as Body).name ?? '';
      const id = normaliseArxivId(body(req).arxivId ?? '');
      const p = id ? await findPaperByArxivId(ctx.db, id) : undefined;
      if (!p) throw new ServiceError('not_found', 'No such paper.');
      await linkPaper(ctx, req.actor, name, p.id);
      return reply.redirect(`/papers/${p.arxiv_id}`, 303);
    });

    // ---- moderation: the public log, then the guarded routers ----
    s.get('/moderation/log', async (req, reply) =>
      sendPage(
        req,
        reply,
        'Moderation log',
        moderationLogPage(await publicLog(ctx, Math.max(0, int((req.query as Body).page)))),
      ),
    );

    await s.register(
      async (mod) => {
        mod.addHook('preHandler', async (req, reply) => {
          if (req.actor.kind !== 'user') return toLogin(req, reply);
          if (!isModerator(req.actor)) throw new ServiceError('forbidden', 'Curators and admins only.');
        });
        mod.get('/', async (req, reply) => {
          const items = await queue(ctx, req.actor);
          const withPreview = await Promise.all(
            items.map(async (q) => {
              if (q.targetType === 'comment') {
                const c = await findComment(ctx.db, q.targetId);
                const p = c ? await arxivIdOfPaper(ctx.db, c.paper_id) : undefined;
                return {
                  ...q,
                  preview: c?.body_html ?? '',
                  link: p ? `/papers/${p.arxivId}#comment-${q.targetId}` : null,
                };
              }
              const sub = await findSubmission(ctx.db, q.targetId);
              const p = sub ? await arxivIdOfPaper(ctx.db, sub.paper_id) : undefined;
              return { ...q, preview: p ? escapeHtml(p.title) : '', link: p ? `/papers/${p.arxivId}` : null };
            }),
          );
          const claims = isAdmin(req.actor) ? await listPendingClaims(ctx, req.actor) : [];
          return sendPage(req, reply, 'Moderation', moderationQueuePage(req.csrfToken, withPreview, claims));
        });
        mod.post('/comments/:cid/hide', async (req, reply) => {
          const id = int((req.params as Body).cid);
          await hideComment(ctx, req.actor, id, body(req).reason ?? '');
          return reply.redirect(
            req.headers.referer && safeNext(new URL(req.headers.referer, 'http://x').pathname, '')
              ? new URL(req.headers.referer, 'http://x').pathname
              : '/moderation',
            303,
          );
        });
        mod.post('/comments/:cid/unhide', async (req, reply) => {
          await unhideComment(ctx, req.actor, int((req.params as Body).cid));
          return reply.redirect('/moderation/log', 303);
        });
        mod.post('/submissions/:sid/hide', async (req, reply) => {
          await hideSubmission(ctx, req.actor, int((req.params as Body).sid), body(req).reason ?? '');
          return reply.redirect('/moderation', 303);
        });
        mod.post('/flags/dismiss', async (req, reply) => {
          const t = body(req).target_type === 'submission' ? 'submission' : 'comment';
          await dismissFlags(ctx, req.actor, t, int(body(req).target_id));
          return reply.redirect('/moderation', 303);
        });
      },
      { prefix: '/moderation' },
    );

    await s.register(
      async (adm) => {
        adm.addHook('preHandler', async (req, reply) => {
          if (req.actor.kind !== 'user') return toLogin(req, reply);
          if (!isAdmin(req.actor)) throw new ServiceError('forbidden', 'Admins only.');
        });
        adm.post('/users/:username/ban', async (req, reply) => {
          const u = (req.params as Body).username ?? '';
          await banUser(ctx, req.actor, u, body(req).reason ?? '');
          return reply.redirect('/moderation/log', 303);
        });
        adm.post('/users/:username/unban', async (req, reply) => {
          await unbanUser(ctx, req.actor, (req.params as Body).username ?? '');
          return reply.redirect('/moderation/log', 303);
        });
        adm.post('/users/:username/role', async (req, reply) => {
          const u = (req.params as Body).username ?? '';
          const role = body(req).role;
          await setRole(ctx, req.actor, u, role === 'admin' || role === 'curator' ? role : 'user');
          return reply.redirect(`/users/${encodeURIComponent(u)}`, 303);
        });
        adm.post('/claims/:claimId', async (req, reply) => {
          await decide(ctx, req.actor, int((req.params as Body).claimId), body(req).decision === 'approve');
          return reply.redirect('/moderation', 303);
        });
      },
      { prefix: '/admin' },
    );

    await registerCommunityApi(s, ctx);
  });
}
