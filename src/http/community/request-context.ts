import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hmac, newToken, safeEqual } from '../../lib/secret-token.js';
import { type Actor, ANONYMOUS } from '../../model/actor.js';
import { sessionActor, tokenActor } from '../../services/accounts.js';
import type { ServiceContext } from '../../services/context.js';

/**
 * Who is asking, for every request: a session cookie (browsers) or `Authorization: Bearer` (API).
 * CSRF: a synchronizer token derived from the session (HMAC under SECRET_KEY), or, before login,
 * from a random pre-session cookie — so forms work logged out and every token dies with its session.
 * Every state-changing request authenticated by cookie must carry it (`_csrf` field or
 * `X-CSRF-Token` header); Bearer requests carry no cookies, so CSRF cannot reach them.
 */
export const SESSION_COOKIE = 'pb_session';
export const PRESESSION_COOKIE = 'pb_pre';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** The pre-session cookie only backs login/sign-up forms; a day is plenty. */
const PRESESSION_MAX_AGE_S = 24 * 3600;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    sessionToken: string | undefined;
    /** The CSRF token to embed in this response's forms. */
    csrfToken: string;
    /** True when authenticated with an API token. */
    viaBearer: boolean;
  }
}

export function cookieOptions(req: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.protocol === 'https',
    maxAge: maxAgeSeconds,
  };
}

export function csrfFor(ctx: ServiceContext, basis: string): string {
  return hmac(ctx.config.secretKey, `csrf:${basis}`);
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/** Plugins the community pages rely on, registered once at the root (the site may have them already). */
export async function ensureParsers(server: FastifyInstance): Promise<void> {
  if (!server.hasDecorator('parseCookie')) await server.register(fastifyCookie);
  if (!server.hasContentTypeParser('application/x-www-form-urlencoded')) await server.register(fastifyFormbody);
}

/**
 * Resolve who is asking, on every request of the whole site (root hook): the actor, the CSRF token
 * for forms, and the page slots (view hooks). A bad or revoked Bearer token on the API is a 401 at
 * once: the caller asked to be someone and is not.
 */
export function resolveActorHook(
  ctx: ServiceContext,
  viewHooks: (req: FastifyRequest) => Promise<import('../ui/view-hooks.js').ViewHooks>,
) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    req.viaBearer = false;
    req.sessionToken = undefined;
    req.actor = ANONYMOUS;
    req.csrfToken = '';
    const bearer = bearerToken(req);
    if (bearer !== undefined) {
      const actor = bearer ? await tokenActor(ctx, bearer) : null;
      if (!actor)
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Invalid or revoked token.' });
      req.actor = actor;
      req.viaBearer = true;
      return;
    }
    // The API authenticates by token only: cookies are ignored there, so cross-site requests carry
    // no credentials and need no CSRF token; without a token the caller is anonymous (401 on writes).
    if (req.url.startsWith('/api/')) return;
    const session = req.cookies[SESSION_COOKIE];
    if (session) {
      req.actor = await sessionActor(ctx, session);
      if (req.actor.kind === 'user') req.sessionToken = session;
    }
    const basis = req.sessionToken ?? req.cookies[PRESESSION_COOKIE];
    if (basis) req.csrfToken = csrfFor(ctx, basis);
    req.viewHooks = await viewHooks(req);
    // A signed-in user's page holds their votes and CSRF token: never serve it from the shared cache.
    if (req.actor.kind === 'user') req.skipPageCache = true;
  };
}

/**
 * On the community's own routes: make sure an anonymous visitor has a pre-session cookie (so
 * the login and sign-up forms carry a CSRF token), and check the token on every state change.
 */
export function csrfHook(ctx: ServiceContext) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.viaBearer || req.url.startsWith('/api/')) return;
    if (!req.csrfToken) {
      const basis = newToken();
      reply.setCookie(PRESESSION_COOKIE, basis, cookieOptions(req, PRESESSION_MAX_AGE_S));
      req.csrfToken = csrfFor(ctx, basis);
      if (STATE_CHANGING.has(req.method)) return forbid(reply);
      return;
    }
    if (STATE_CHANGING.has(req.method)) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent =
        (typeof body?.[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined) ??
        (req.headers[CSRF_HEADER] as string | undefined);
      if (!sent || !safeEqual(sent, req.csrfToken)) return forbid(reply);
    }
  };
}

function forbid(reply: FastifyReply) {
  return reply
    .code(403)
    .type('text/plain; charset=utf-8')
    .send(
      'Forbidden: the form expired or did not come from this site (CSRF check failed). Reload the page and try again.',
    );
}
