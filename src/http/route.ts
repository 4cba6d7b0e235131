import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { App } from '../app.js';
import type { RateLimitName } from '../config/community.js';
import type { SafeHtml } from '../lib/html-template.js';
import type { Actor } from '../model/actor.js';
import type { Viewer } from './viewer.js';

/**
 * The contract of one row of the route table (routes.ts). The server enforces every column before
 * the handler runs, so a handler never checks who is asking, a CSRF token or a rate limit itself.
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call it. `user`: anyone signed in (a browser session, or on /api/ a token); an anonymous
 * browser is sent to log in and back, an anonymous API call gets 401. `curator` and `admin` also
 * need that role (403 otherwise); admins are curators too. `monitor`: a monitoring system sending
 * `Authorization: Bearer METRICS_TOKEN` (401 without it; 404 while METRICS_TOKEN is unset).
 */
export type Access = 'anyone' | 'user' | 'curator' | 'admin' | 'monitor';

/**
 * `token`: a state-changing request from a browser must carry the synchronizer token of its session
 * (or pre-session) in the `_csrf` field or the X-CSRF-Token header. `origin`: for the one form on
 * shared cached pages (subscribe), which cannot carry a per-visitor token: the browser's Origin (or
 * Sec-Fetch-Site) must be this site. `none`: GETs, the API (tokens only, no cookies), and links
 * from mail whose signed token is the authorisation.
 */
export type Csrf = 'token' | 'origin' | 'none';

/**
 * `public`: anonymous GETs share one rendered copy (http/cache.ts), keyed by the path and the query
 * parameters the handler declares; signed-in readers get their own copy, never stored. `feed`: the
 * same, and readers may keep it five minutes. `asset`: addressed by content hash, kept a year.
 * `private`: never stored anywhere (forms carrying CSRF tokens, personal pages, every write).
 */
export type CachePolicy = 'public' | 'feed' | 'asset' | 'private';

export interface Route {
  method: Method;
  /** Fastify syntax; `:paper` is an arXiv id, old-style ones with their slash (hep-th/9504118). */
  path: string;
  access: Access;
  /** API routes (/api/…): the token scope needed when access is not `anyone`. */
  scope?: 'read' | 'write';
  csrf: Csrf;
  cache: CachePolicy;
  /** A named limit (config/community.ts), counted per IP and per signed-in user before the handler. */
  rateLimit: RateLimitName | null;
  handler: Handler;
}

/** What a handler gets: who asks, and the request's parameters already validated. */
export interface Ctx<Q = Record<string, string | undefined>, B = Record<string, string | undefined>> {
  app: App;
  req: FastifyRequest;
  route: Route;
  actor: Actor;
  /** The CSRF token to embed in this response's forms ('' on shared cached pages). */
  csrf: string;
  now: Date;
  /** Path parameters; `paper` holds the arXiv id of a `:paper` path. */
  params: Record<string, string>;
  query: Q;
  body: B;
  ip: string;
  /** The caller asked for JSON (Accept: application/json): scripts enhancing a form, API clients. */
  wantsJson: boolean;
  /** The signed-in reader's votes and role, loaded once, for rendering (viewer.ts). */
  viewer(): Promise<Viewer>;
}

export type Reply = (
  | { kind: 'html'; status: number; body: SafeHtml; headers?: Record<string, string> }
  | { kind: 'redirect'; status: 301 | 302 | 303; location: string }
  | { kind: 'json'; status: number; value: unknown; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; contentType: string; body: string | Buffer; headers?: Record<string, string> }
) & {
  /** Cookies to set (a value) or clear (null); only `private` routes set any (shared copies carry none). */
  cookies?: CookieChange[];
  /**
   * The papers this response shows, for the page cache: a shared copy goes stale when one of them
   * changes (a vote, a comment), not on every change. Absent: any change makes it stale.
   */
  papers?: readonly number[];
};

export interface CookieChange {
  name: string;
  value: string | null;
  maxAgeSeconds?: number;
}

/** The same reply, marked as showing these papers (see `papers` above). */
export function showing(r: Reply, papers: readonly number[]): Reply {
  return { ...r, papers };
}

/** The same reply, setting or clearing cookies. */
export function withCookies(r: Reply, ...cookies: CookieChange[]): Reply {
  return { ...r, cookies: [...(r.cookies ?? []), ...cookies] };
}

// biome-ignore lint/suspicious/noExplicitAny: query and body schemas are z.object shapes of any field types
type AnyObject = z.ZodObject<any>;

/**
 * One handler: the query parameters and body fields it reads (zod objects of strings; a repeated
 * or malformed one is a 400 naming it, and only these parameters key the page cache), and `run`.
 */
export interface Handler {
  query?: AnyObject;
  body?: AnyObject;
  /**
   * For a handler that answers one URL in several representations (content negotiation: Markdown
   * for `Accept: text/markdown`): the one this request gets. It keys the page cache beside the
   * path and parameters, so a shared copy of one representation is never served for another.
   */
  variant?(req: FastifyRequest): string | null;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows Ctx through `handler` below
  run(c: Ctx<any, any>): Promise<Reply>;
}

/**
 * Define a handler with typed query and body.
 *
 * @example
 * export const dayPage = handler({ query: z.object({ page: pageParam }) }, async (c) => page(c, …));
 */
export function handler<
  Q extends AnyObject = z.ZodObject<Record<string, never>>,
  B extends AnyObject = z.ZodObject<Record<string, never>>,
>(spec: { query?: Q; body?: B }, run: (c: Ctx<z.infer<Q>, z.infer<B>>) => Promise<Reply>): Handler {
  return { query: spec.query, body: spec.body, run };
}

export const htmlReply = (body: SafeHtml, status = 200, headers?: Record<string, string>): Reply => ({
  kind: 'html',
  status,
  body,
  headers,
});
export const redirect = (location: string, status: 301 | 302 | 303 = 302): Reply => ({
  kind: 'redirect',
  status,
  location,
});
export const json = (value: unknown, status = 200, headers?: Record<string, string>): Reply => ({
  kind: 'json',
  status,
  value,
  headers,
});
export const raw = (
  body: string | Buffer,
  contentType: string,
  headers?: Record<string, string>,
  status = 200,
): Reply => ({ kind: 'raw', status, contentType, body, headers });
