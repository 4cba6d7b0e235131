import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { App } from '../services/app.js';
import { contentVersion } from '../services/content-version.js';
import { type CachedResponse, ResponseCache } from './cache.js';
import { registerCommunity } from './community/routes.js';
import { HttpError } from './errors.js';
import { type Route, routes } from './routes.js';
import { registerSubscriptionRoutes } from './subscription-routes.js';
import type { PageContext } from './ui/page.js';
import { errorPage } from './ui/pages/error.js';
import { defaultViewHooks, type ViewHooks } from './ui/view-hooks.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by a feature that personalises this response (e.g. a signed-in user): never cache it. */
    skipPageCache: boolean;
    /** Set by a feature that fills the page slots for this request; defaults to the anonymous view. */
    viewHooks: ViewHooks | null;
  }
  interface FastifyInstance {
    /** Rendered responses, keyed by URL, valid at one content version. */
    responseCache: ResponseCache;
  }
}

/**
 * Security headers on every response. Scripts and styles load only from this site (no inline
 * script at all), the page cannot be framed, and browsers must not guess content types.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};
/** Browsers may keep a hashed asset for a year: its URL changes when its content does. */
const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** Feed readers poll; five minutes is fresh enough for lists that change daily. */
const FEED_CACHE_CONTROL = 'public, max-age=300';

export interface ServerOptions {
  logger?: boolean;
  /** The clock pages use for "this year" dates and trending; tests fix it. */
  now?: () => Date;
  /** Cache rendered responses (default on); the HTTP benchmark turns it off for its baseline. */
  pageCache?: boolean;
}

function isApi(url: string): boolean {
  return url.startsWith('/api/') || url === '/api';
}

function send(reply: FastifyReply, r: CachedResponse): FastifyReply {
  return reply.code(r.status).headers(r.headers).type(r.contentType).send(r.body);
}

/** Build the web server (not yet listening), so tests can inject requests or listen on a free port. */
export async function buildServer(app: App, opts: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: opts.logger ? { level: app.config.logLevel } : false,
    trustProxy: true,
    // Errors found before routing (a malformed %-escape in the URL): a readable 400, not Fastify's JSON.
    frameworkErrors: (err, req, res) => {
      const reply = res as unknown as FastifyReply;
      const message = `The address is malformed (${err.message}).`;
      if (isApi(req.url)) return reply.code(400).send({ error: message });
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(errorPage(400, message, [], defaultViewHooks).value);
    },
  });
  const now = opts.now ?? (() => new Date());
  server.decorate('responseCache', new ResponseCache());
  server.decorateRequest('skipPageCache', false);
  server.decorateRequest('viewHooks', null);

  server.addHook('onSend', (_req, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });

  // Accounts, votes, discussion, moderation and their API (their own route table); registered
  // first, so the hook that resolves the visitor and fills the page slots runs for every route.
  await registerCommunity(server, app);

  const view = (req: FastifyRequest) => req.viewHooks ?? defaultViewHooks;

  // Handlers first: a route takes the error handler in force when it is registered, and awaiting a
  // plugin registration (below) registers the routes declared so far.
  server.setNotFoundHandler(async (req, reply) => {
    if (isApi(req.url))
      return reply.code(404).send({ error: `No API endpoint ${req.method} ${req.url.split('?')[0]}` });
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send(errorPage(404, `There is no page at ${req.url.split('?')[0]}.`, [], view(req)).value);
  });

  server.setErrorHandler(async (err: Error & { statusCode?: number }, req, reply) => {
    let status = 500;
    let message = 'The server could not answer this request. It has been logged.';
    let parameter: string | undefined;
    let links: Array<{ href: string; label: string }> = [];
    if (err instanceof HttpError) {
      ({ status, message, parameter, links } = err);
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      message = err.message;
    } else {
      req.log.error({ err }, 'request failed');
    }
    if (isApi(req.url)) return reply.code(status).send(parameter ? { error: message, parameter } : { error: message });
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(errorPage(status, message, links, view(req)).value);
  });

  const produce = async (route: Route, req: FastifyRequest, reply: FastifyReply): Promise<CachedResponse> => {
    const query = req.query as Record<string, string | undefined>;
    const params = req.params as Record<string, string | undefined>;
    const headers: Record<string, string> = {};
    const ctx = { app, req, reply, now: now(), query, params, headers };
    switch (route.kind) {
      case 'page': {
        const pctx: PageContext = { app, req, view: view(req), now: ctx.now, query, params };
        const r = await route.handler(pctx);
        if (r.kind === 'redirect')
          return {
            status: r.permanent ? 301 : 302,
            contentType: 'text/plain; charset=utf-8',
            body: Buffer.alloc(0),
            headers: { location: r.location },
          };
        return {
          status: r.status ?? 200,
          contentType: 'text/html; charset=utf-8',
          body: Buffer.from(r.body.value),
          headers: {},
        };
      }
      case 'api':
        return {
          status: 200,
          contentType: 'application/json; charset=utf-8',
          body: Buffer.from(JSON.stringify(await route.handler(ctx))),
          headers,
        };
      case 'feed': {
        const body = await route.handler(ctx);
        const { 'content-type': contentType, ...rest } = headers;
        return {
          status: 200,
          contentType: contentType ?? 'application/xml; charset=utf-8',
          body: Buffer.from(body),
          headers: { ...rest, 'cache-control': FEED_CACHE_CONTROL },
        };
      }
      case 'json':
        return {
          status: 200,
          contentType: 'application/json; charset=utf-8',
          body: Buffer.from(JSON.stringify(route.body(app))),
          headers: {},
        };
      case 'asset':
        return {
          status: 200,
          contentType: route.asset.contentType,
          body: Buffer.from(route.asset.body),
          headers: { 'cache-control': ASSET_CACHE_CONTROL },
        };
    }
  };

  for (const route of routes) {
    const cache = opts.pageCache !== false && 'cache' in route && route.cache;
    server.get(route.url, async (req, reply) => {
      if (!cache || req.skipPageCache) return send(reply, await produce(route, req, reply));
      // Read the version before rendering: a write during the render leaves this entry stale, not wrong.
      const version = contentVersion(app);
      return send(reply, await server.responseCache.fetch(req.url, version, () => produce(route, req, reply)));
    });
  }

  await registerSubscriptionRoutes(server, app);

  return server;
}
