import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { AppError, type AppErrorCode } from '../lib/app-error.js';
import { ANONYMOUS } from '../model/actor.js';
import { asDatabaseBusy } from '../store/store-errors.js';
import type { CachedResponse } from './cache.js';
import type { CachePolicy, Reply } from './route.js';
import { isApiPath } from './session.js';
import { errorPage } from './ui/error-page.js';
import type { Viewer } from './viewer.js';

/**
 * Everything a handler returns, and every error anything throws, becomes an HTTP answer here: one
 * mapping from an error code to a status, one JSON error shape `{ error, parameter?, url? }`, one
 * error page. Anything that is not an AppError is a bug: a 500 whose details go to the log only.
 */
export const STATUS: Record<AppErrorCode, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

/** Browsers may keep a hashed asset for a year: its URL changes when its content does. */
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Feed readers poll; five minutes is fresh enough for lists that change daily. */
const FEED_CACHE_CONTROL = 'public, max-age=300';
/** Personal pages and forms (CSRF tokens) are never stored by browsers or proxies. */
const PRIVATE_CACHE_CONTROL = 'private, no-store';

/** Render a handler's reply to bytes (what the page cache stores). */
export function toResponse(r: Reply, policy: CachePolicy, personal: boolean): CachedResponse {
  const headers: Record<string, string> = { ...('headers' in r ? r.headers : {}) };
  if (policy === 'asset') headers['cache-control'] = ASSET_CACHE_CONTROL;
  else if (policy === 'private' || personal) headers['cache-control'] = PRIVATE_CACHE_CONTROL;
  else if (policy === 'feed') headers['cache-control'] = FEED_CACHE_CONTROL;
  switch (r.kind) {
    case 'html':
      return { status: r.status, contentType: 'text/html; charset=utf-8', body: Buffer.from(r.body.value), headers };
    case 'json':
      return {
        status: r.status,
        contentType: 'application/json; charset=utf-8',
        body: Buffer.from(JSON.stringify(r.value)),
        headers,
      };
    case 'raw':
      return { status: r.status, contentType: r.contentType, body: Buffer.from(r.body), headers };
    case 'redirect':
      return {
        status: r.status,
        contentType: 'text/plain; charset=utf-8',
        body: Buffer.alloc(0),
        headers: { ...headers, location: r.location },
      };
  }
}

export function send(reply: FastifyReply, r: CachedResponse): FastifyReply {
  return reply.code(r.status).headers(r.headers).type(r.contentType).send(r.body);
}

export function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

/** What the error handler knows of the request that failed. */
interface Failed {
  viewer: Viewer | null;
  viaBearer: boolean;
}

/**
 * The one error path. API calls, Bearer calls and scripts asking for JSON get
 * `{ error, parameter?, url? }`; browsers get the error page in the site's layout.
 */
export function sendError(app: App, req: FastifyRequest, reply: FastifyReply, err: unknown, failed: Failed) {
  let status = 500;
  let message = 'The server could not answer this request. It has been logged.';
  let e: AppError | null = null;
  // The database stayed locked by another process (an import, a second server): nothing was
  // written, and the same request will work in a moment. 503 with Retry-After, not a 500.
  const busy = asDatabaseBusy(err);
  if (busy) {
    req.log.warn({ detail: busy.detail }, 'database busy; answered 503');
    err = busy;
  }
  if (err instanceof AppError) {
    e = err;
    status = STATUS[err.code];
    message = err.message;
  } else {
    const fastifyStatus = (err as { statusCode?: number }).statusCode;
    if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      // Fastify's own refusals (a body too large, malformed JSON): the caller's fault, said plainly.
      status = fastifyStatus;
      message = (err as Error).message;
    } else {
      req.log.error({ err }, 'request failed');
    }
  }
  if (e?.extra.retryAfterSeconds) reply.header('retry-after', String(e.extra.retryAfterSeconds));
  if (status === 401 && (failed.viaBearer || isApiPath(req.url))) reply.header('www-authenticate', 'Bearer');
  reply.header('cache-control', PRIVATE_CACHE_CONTROL);
  if (isApiPath(req.url) || failed.viaBearer || wantsJson(req)) {
    return reply.code(status).send({
      error: message,
      ...(e?.extra.parameter ? { parameter: e.extra.parameter } : {}),
      ...(e?.extra.link ? { url: e.extra.link } : {}),
    });
  }
  const viewer = failed.viewer ?? { actor: ANONYMOUS, csrf: '', voted: new Set<number>(), moderator: false };
  const links = [...(e?.extra.links ?? []), ...(e?.extra.link ? [{ href: e.extra.link, label: e.extra.link }] : [])];
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(errorPage(app, status, message, links, viewer, String(req.id)).value);
}
