import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { AppError, notFound } from '../lib/app-error.js';
import { hmac, newToken, safeEqual } from '../lib/secret-token.js';
import { type Actor, ANONYMOUS } from '../model/actor.js';
import { sessionActor, tokenActor } from '../services/accounts.js';

/**
 * Who is asking: a session cookie (browsers) or `Authorization: Bearer` (API clients). The API
 * authenticates by token only — cookies are ignored under /api/, so cross-site requests there carry
 * no credentials and need no CSRF token.
 *
 * CSRF: a synchronizer token derived from the session (HMAC under SECRET_KEY), or, before login,
 * from a random pre-session cookie, so forms work logged out and every token dies with its session.
 */
export const SESSION_COOKIE = 'pb_session';
const PRESESSION_COOKIE = 'pb_pre';
export const CSRF_FIELD = '_csrf';
const CSRF_HEADER = 'x-csrf-token';
/** The pre-session cookie only backs forms shown before login; a day is plenty. */
const PRESESSION_MAX_AGE_S = 24 * 3600;

export interface Caller {
  actor: Actor;
  /** The session cookie's token, when it named a live session. */
  sessionToken: string | undefined;
  /** Authenticated with an API token. */
  viaBearer: boolean;
  /** What CSRF tokens derive from: the session, else the pre-session cookie; null when neither. */
  csrfBasis: string | null;
}

export function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url === '/mcp' || url.startsWith('/mcp?');
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

function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m ? m[1] : '';
}

/**
 * The caller of a request that carries no credentials: no Authorization header, and no session
 * cookie (or an API path, where cookies are ignored). Found without a look-up or a promise, which
 * is most requests; null when the request carries credentials (resolveCaller looks them up).
 */
export function anonymousCaller(req: FastifyRequest): Caller | null {
  if (req.headers.authorization) return null;
  if (isApiPath(req.url)) return { actor: ANONYMOUS, sessionToken: undefined, viaBearer: false, csrfBasis: null };
  if (req.cookies[SESSION_COOKIE]) return null;
  return {
    actor: ANONYMOUS,
    sessionToken: undefined,
    viaBearer: false,
    csrfBasis: req.cookies[PRESESSION_COOKIE] ?? null,
  };
}

/**
 * Resolve the caller. A bad or revoked Bearer token is null: the caller asked to be someone and
 * is not (a 401, never a silent downgrade to anonymous).
 */
export async function resolveCaller(app: App, req: FastifyRequest): Promise<Caller | null> {
  const anonymous = anonymousCaller(req);
  if (anonymous) return anonymous;
  const bearer = bearerToken(req);
  if (bearer !== undefined) {
    const actor = bearer ? await tokenActor(app, bearer) : null;
    return actor ? { actor, sessionToken: undefined, viaBearer: true, csrfBasis: null } : null;
  }
  if (isApiPath(req.url)) return { actor: ANONYMOUS, sessionToken: undefined, viaBearer: false, csrfBasis: null };
  const session = req.cookies[SESSION_COOKIE];
  const actor = session ? await sessionActor(app, session) : ANONYMOUS;
  const sessionToken = actor.kind === 'user' ? session : undefined;
  return { actor, sessionToken, viaBearer: false, csrfBasis: sessionToken ?? req.cookies[PRESESSION_COOKIE] ?? null };
}

/**
 * The caller of a `monitor` row (/metrics): a monitoring system with `Authorization: Bearer
 * METRICS_TOKEN`. It is no account, so it acts as anonymous. Unset METRICS_TOKEN hides the route (404).
 */
export function monitorCaller(app: App, req: FastifyRequest): Caller {
  const expected = app.config.metricsToken;
  if (!expected) throw notFound('Metrics are off on this site. Fix: set METRICS_TOKEN (see docs/OPERATIONS.md).');
  const sent = bearerToken(req);
  if (!sent || !safeEqual(sent, expected))
    throw new AppError('unauthenticated', 'This needs the metrics token: Authorization: Bearer $METRICS_TOKEN.');
  return { actor: ANONYMOUS, sessionToken: undefined, viaBearer: true, csrfBasis: null };
}

export function csrfToken(app: App, basis: string): string {
  return hmac(app.config.secretKey, `csrf:${basis}`);
}

/** Give an anonymous browser a pre-session cookie, so the forms on this page carry a CSRF token. */
export function startPresession(app: App, req: FastifyRequest, reply: FastifyReply): string {
  const basis = newToken();
  reply.setCookie(PRESESSION_COOKIE, basis, cookieOptions(req, PRESESSION_MAX_AGE_S));
  return basis;
}

/** The token a state-changing browser request carries, from the form or the header. */
export function sentCsrfToken(req: FastifyRequest): string | undefined {
  const body = req.body as Record<string, unknown> | undefined;
  const field = body && typeof body === 'object' ? body[CSRF_FIELD] : undefined;
  if (typeof field === 'string') return field;
  const header = req.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : undefined;
}

export function csrfMatches(expected: string, sent: string | undefined): boolean {
  return sent !== undefined && safeEqual(sent, expected);
}

/**
 * Same-site check for forms on shared cached pages: browsers send Sec-Fetch-Site on every request
 * and Origin on every POST; a request from another site carries neither `same-origin` nor our origin.
 */
export function isSameOrigin(req: FastifyRequest, baseUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'same-origin') return true;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    if (origin === new URL(baseUrl).origin) return true;
    const host = req.headers.host;
    try {
      // Compared as URLs, so a default port written out (localhost:80) matches one left out.
      const o = new URL(origin);
      return typeof host === 'string' && o.host === new URL(`${o.protocol}//${host}`).host;
    } catch {
      return false;
    }
  }
  // No Origin and no Sec-Fetch-Site: not a browser form from another site (browsers send them).
  return site === undefined && origin === undefined;
}
