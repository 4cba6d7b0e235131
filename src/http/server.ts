import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import type { App } from '../app.js';
import { AppError, notFound } from '../lib/app-error.js';
import { isAdmin, isModerator } from '../model/actor.js';
import { rateLimit } from '../services/rate-limits.js';
import { type CachedResponse, type CacheOptions, ResponseCache } from './cache.js';
import { cacheKey, checkPathParams, readFields } from './params.js';
import { RequestCtx } from './request-ctx.js';
import { send, sendError, toResponse, wantsJson } from './respond.js';
import type { Route } from './route.js';
import { routes } from './routes.js';
import {
  anonymousCaller,
  type Caller,
  cookieOptions,
  csrfMatches,
  csrfToken,
  isApiPath,
  isSameOrigin,
  monitorCaller,
  resolveCaller,
  sentCsrfToken,
} from './session.js';
import { loadViewer, type Viewer } from './viewer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking, once resolved (null before, or for a revoked token). */
    caller: Caller | null;
  }
  interface FastifyInstance {
    /** Rendered responses of `public` and `feed` routes, valid at one content version. */
    responseCache: ResponseCache;
    /** Every method and path registered, as Fastify saw them (the route table's, and nothing else). */
    registeredRoutes: Array<{ method: string; url: string }>;
    /** Set when the server stops (http/drain.ts): every answer then closes its connection. */
    draining: boolean;
  }
}

/**
 * Security headers on every response. Scripts, styles and fonts load only from this site (no
 * inline script at all), the page cannot be framed, and browsers must not guess content types.
 * Style *attributes* are allowed (style-src-attr): KaTeX's typeset formulas position their parts
 * with them; no <style> element and no stylesheet from elsewhere is.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};
/** Random bytes naming this process in its request ids (8 hex characters). */
const REQUEST_ID_PROCESS_BYTES = 4;

/**
 * Request ids: this process's random prefix and a counter, 16 hex characters, so one request is
 * found in a day's log of several processes. A random draw per request (randomBytes) cost a third
 * of a cached page's throughput in bench:http; a counter costs nothing.
 */
function requestIds(): () => string {
  const prefix = randomBytes(REQUEST_ID_PROCESS_BYTES).toString('hex');
  let n = 0;
  return () => {
    n = (n + 1) % 0x1_0000_0000;
    return prefix + n.toString(16).padStart(8, '0');
  };
}
/**
 * Slow clients (slowloris) cannot hold connections open: a request whose headers have not all
 * arrived in HEADERS_TIMEOUT_MS, or whose headers and body have not in REQUEST_TIMEOUT_MS, gets a
 * 408 and its connection closed. Node checks both every CONNECTION_CHECK_INTERVAL_MS (its default,
 * 30 s, would let a trickling client stay three times as long as the limit).
 */
export const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const CONNECTION_CHECK_INTERVAL_MS = 1_000;
/**
 * An idle keep-alive connection is closed after this long. Clients are told it (`Keep-Alive:
 * timeout=5`) and close their end first, so neither side sends on a socket the other is closing;
 * a stopping server waits this long at most for idle connections (http/drain.ts). Node's default;
 * Fastify's own (72 s) would hold a shutdown for over a minute.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A connection that neither sends nor reads for this long (a stalled reader of a response) is dropped. */
const SOCKET_IDLE_TIMEOUT_MS = 60_000;
/** Largest form or JSON body accepted; the longest real field (a comment) is 10,000 characters. */
const BODY_LIMIT_BYTES = 64 * 1024;
const CSRF_FAILED =
  'Forbidden: the form expired or did not come from this site (CSRF check failed). Reload the page and try again.';

interface ServerOptions {
  /** Log every request (what `paperboy serve` does); benchmarks and tests leave it off. */
  requestLog?: boolean;
  /** Cache rendered responses (default on); the HTTP benchmark turns it off for its baseline. */
  pageCache?: boolean;
  /** The page cache's limits (tests shorten the refresh interval). */
  cache?: CacheOptions;
}

/** The Fastify paths of a table path: `:paper` is one segment (2501.01234) or two (hep-th/9504118). */
export function fastifyPaths(path: string): string[] {
  if (!path.includes(':paper')) return [path];
  return [path.replace(':paper', ':id'), path.replace(':paper', ':archive/:num')];
}

/** Same-site path of the page a form was posted from, or null (absent, malformed or foreign). */
export function refererPath(req: FastifyRequest): string | null {
  const ref = req.headers.referer;
  if (typeof ref !== 'string') return null;
  try {
    const u = new URL(ref);
    // Compared as URLs, so a default port written out (localhost:80) matches one left out.
    if (u.host !== new URL(`${u.protocol}//${req.headers.host ?? ''}`).host) return null;
    return safeNext(u.pathname + u.search, '') || null;
  } catch {
    return null;
  }
}

/**
 * Only same-site paths are followed after login (no open redirects): a path, not `//host`, not
 * `/\host`, and no control or space characters (`/%09/evil.example` decodes to a tab browsers drop).
 */
export function safeNext(raw: unknown, fallback = '/'): string {
  const s = typeof raw === 'string' ? raw : '';
  let decoded = s;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    return fallback;
  }
  const ok =
    s.startsWith('/') &&
    !/^\/[/\\]/.test(s) &&
    !/[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\\]/.test(decoded) &&
    !/^\/[/\\]/.test(decoded);
  return ok ? s : fallback;
}

function loginRedirect(req: FastifyRequest): string {
  const back = req.method === 'GET' ? safeNext(req.url, '/') : (refererPath(req) ?? '/');
  return `/login?next=${encodeURIComponent(back)}`;
}

/** The table's columns, enforced in order: caller, access, CSRF, parameters, rate limit; then cache. */
async function serve(
  app: App,
  server: FastifyInstance,
  route: Route,
  opts: ServerOptions,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const caller =
    route.access === 'monitor' ? monitorCaller(app, req) : (anonymousCaller(req) ?? (await resolveCaller(app, req)));
  if (!caller) throw new AppError('unauthenticated', 'Invalid or revoked token.');
  req.caller = caller;
  const { actor } = caller;
  const api = isApiPath(req.url);
  const changing = route.method !== 'GET';

  if (route.access !== 'anyone' && route.access !== 'monitor') {
    if (actor.kind !== 'user') {
      if (api || wantsJson(req))
        throw new AppError(
          'unauthenticated',
          api ? 'This needs an API token (Authorization: Bearer …).' : 'Log in first.',
        );
      reply.redirect(loginRedirect(req), changing ? 303 : 302);
      return;
    }
    if (actor.banned) throw new AppError('forbidden', 'This account is suspended.');
    if (route.access === 'curator' && !isModerator(actor)) throw new AppError('forbidden', 'Curators and admins only.');
    if (route.access === 'admin' && !isAdmin(actor)) throw new AppError('forbidden', 'Admins only.');
    if (route.scope === 'write' && actor.via === 'read')
      throw new AppError('forbidden', 'This token is read-only; create a write token.');
  }

  const csrf = caller.csrfBasis ? csrfToken(app, caller.csrfBasis) : '';
  if (changing && !caller.viaBearer) {
    if (route.csrf === 'token' && !(csrf && csrfMatches(csrf, sentCsrfToken(req))))
      throw new AppError('forbidden', CSRF_FAILED);
    if (route.csrf === 'origin' && !isSameOrigin(req, app.config.baseUrl)) throw new AppError('forbidden', CSRF_FAILED);
  }

  const rawParams = req.params as Record<string, string>;
  checkPathParams(rawParams);
  const params = { ...rawParams };
  if (route.path.includes(':paper')) params.paper = rawParams.id ?? `${rawParams.archive}/${rawParams.num}`;
  const query = route.handler.query ? readFields(route.handler.query, req.query, 'query') : {};
  const json = (req.headers['content-type'] ?? '').includes('application/json');
  const body = route.handler.body ? readFields(route.handler.body, req.body, json ? 'json' : 'form') : {};

  if (route.rateLimit)
    await rateLimit(app, route.rateLimit, { account: actor.kind === 'user' ? actor.id : undefined, ip: req.ip });

  const ctx = new RequestCtx(app, req, reply, {
    route,
    actor,
    csrf,
    mayStartPresession: !changing && route.cache === 'private' && !api,
    params,
    query,
    body,
  });
  const personal = actor.kind === 'user';
  const shared =
    !changing && (route.cache === 'public' || route.cache === 'feed') && !personal && opts.pageCache !== false;
  if (shared) {
    const render = async () => {
      const out = await route.handler.run(ctx);
      return { response: toResponse(out, route.cache, false), papers: out.papers ?? null };
    };
    send(reply, await server.responseCache.fetch(sharedKey(route, req), render));
    return;
  }
  const out = await route.handler.run(ctx);
  for (const k of out.cookies ?? []) {
    if (k.value === null) reply.clearCookie(k.name, { path: '/' });
    else reply.setCookie(k.name, k.value, cookieOptions(req, k.maxAgeSeconds ?? 0));
  }
  send(reply, toResponse(out, route.cache, personal));
}

/** The page cache's key of a shared copy: the path, the declared query parameters, the variant. */
function sharedKey(route: Route, req: FastifyRequest): string {
  const variant = route.handler.variant?.(req);
  return cacheKey(req.url.split('?')[0], route.handler.query, req.query) + (variant ? `#${variant}` : '');
}

/**
 * Rows whose anonymous GETs share one cached copy and need no check that depends on the caller
 * before it: anyone may call them, with no rate limit and no body.
 */
function sharesCopies(route: Route, opts: ServerOptions): boolean {
  return (
    route.method === 'GET' &&
    (route.cache === 'public' || route.cache === 'feed') &&
    route.access === 'anyone' &&
    route.rateLimit === null &&
    !route.handler.body &&
    opts.pageCache !== false
  );
}

/**
 * A fresh shared copy for this request, found before any of serve()'s work (resolving the caller,
 * building the handler's Ctx): most of a cached page's cost was that work. Only for a request that
 * is anonymous whatever serve() would find: no Authorization header, and no session cookie (the API
 * ignores cookies). Its parameters are checked as serve() checks them; for one that serve() would
 * refuse, or a copy that is stale or missing, this is null and serve() does everything as before.
 */
function freshSharedCopy(server: FastifyInstance, route: Route, req: FastifyRequest): CachedResponse | null {
  if (!anonymousCaller(req)) return null;
  try {
    checkPathParams(req.params as Record<string, string>);
    if (route.handler.query) readFields(route.handler.query, req.query, 'query');
  } catch {
    return null;
  }
  return server.responseCache.fresh(sharedKey(route, req));
}

async function viewerOf(app: App, req: FastifyRequest): Promise<Viewer | null> {
  const caller = req.caller ?? (await resolveCaller(app, req).catch(() => null));
  if (!caller) return null;
  return loadViewer(app, caller.actor, caller.csrfBasis ? csrfToken(app, caller.csrfBasis) : '');
}

/** Build the web server (not yet listening), so tests can inject requests or listen on a free port. */
export async function buildServer(app: App, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const server: FastifyInstance = Fastify({
    loggerInstance: app.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !opts.requestLog }),
    trustProxy: app.config.trustedProxies.length > 0 ? app.config.trustedProxies : false,
    // A random id per request: in every log line of it (reqId), the x-request-id header and the
    // error page, so a reader's report can be found in the log.
    genReqId: requestIds(),
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeout: SOCKET_IDLE_TIMEOUT_MS,
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: CONNECTION_CHECK_INTERVAL_MS },
    bodyLimit: BODY_LIMIT_BYTES,
    // Errors found before routing (a malformed %-escape in the URL): a readable 400.
    frameworkErrors: (err, req, res) => {
      const reply = res as unknown as FastifyReply;
      return sendError(
        app,
        req as FastifyRequest,
        reply,
        new AppError('invalid', `The address is malformed (${err.message}).`),
        {
          viewer: null,
          viaBearer: false,
        },
      );
    },
  });
  server.decorate('responseCache', new ResponseCache(app.contentVersion, opts.cache));
  app.metrics.attachCache(server.responseCache);
  server.decorate('registeredRoutes', []);
  server.addHook('onRoute', (r) => {
    // HEAD twins of GET routes are Fastify's own; every other route must come from the table.
    for (const method of [r.method].flat()) if (method !== 'HEAD') server.registeredRoutes.push({ method, url: r.url });
  });
  server.decorateRequest('caller', null);
  await server.register(fastifyCookie);
  await server.register(fastifyFormbody, { bodyLimit: BODY_LIMIT_BYTES });
  // RFC 8058 one-click unsubscribe posts may come as multipart; the token is in the URL, so the body is read as text.
  server.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES },
    (_req, b, done) => done(null, b),
  );

  // Counted by the route table's row (`/papers/*`), never the raw URL: labels stay bounded.
  server.addHook('onResponse', (req, reply, done) => {
    const route = (req.routeOptions.config as { tablePath?: string } | undefined)?.tablePath ?? 'unmatched';
    app.metrics.http.record(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  server.decorate('draining', false);
  server.addHook('onSend', (req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    reply.header('x-request-id', req.id);
    // A stopping server still answers what reaches it, and tells the client not to reuse the connection.
    if (server.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  server.setNotFoundHandler(async (req, reply) => {
    const path = req.url.split('?')[0];
    const message = isApiPath(req.url) ? `No API endpoint ${req.method} ${path}` : `There is no page at ${path}.`;
    return sendError(app, req, reply, notFound(message), { viewer: await viewerOf(app, req), viaBearer: false });
  });
  server.setErrorHandler(async (err, req, reply) =>
    sendError(app, req, reply, err, { viewer: await viewerOf(app, req), viaBearer: req.caller?.viaBearer ?? false }),
  );

  for (const route of routes) {
    const shares = sharesCopies(route, opts);
    for (const url of fastifyPaths(route.path)) {
      server.route({
        method: route.method,
        url,
        config: { tablePath: route.path },
        handler: (req, reply) => {
          const copy = shares ? freshSharedCopy(server, route, req) : null;
          if (!copy) return serve(app, server, route, opts, req, reply);
          send(reply, copy);
        },
      });
    }
  }
  return server;
}
