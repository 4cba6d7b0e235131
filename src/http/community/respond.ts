import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS, ServiceError } from '../../services/errors.js';
import { communityPage, type PageFrame } from '../ui/community-layout.js';
import { defaultViewHooks } from '../ui/view-hooks.js';

/**
 * Response helpers for community pages: framed HTML with no-store caching (forms carry CSRF
 * tokens; the site's server adds its strict Content-Security-Policy to every response), and one
 * mapping from a ServiceError to a status.
 */

export function sendPage(
  req: FastifyRequest,
  reply: FastifyReply,
  title: string,
  body: string,
  opts: { status?: number; flash?: PageFrame['flash'] } = {},
) {
  return reply
    .code(opts.status ?? 200)
    .header('cache-control', 'private, no-store')
    .type('text/html; charset=utf-8')
    .send(communityPage({ title, userMenu: (req.viewHooks ?? defaultViewHooks).userMenu(), body, flash: opts.flash }));
}

export function wantsJson(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('application/json');
}

/** Status and headers for a refusal (429 carries Retry-After). */
export function refusal(reply: FastifyReply, err: ServiceError): number {
  const status = HTTP_STATUS[err.code];
  if (err.extra.retryAfterSeconds) reply.header('retry-after', String(err.extra.retryAfterSeconds));
  if (status === 401 && reply.request.viaBearer) reply.header('www-authenticate', 'Bearer');
  return status;
}

/** Only same-site paths are followed after login (no open redirects). */
export function safeNext(raw: unknown, fallback = '/'): string {
  const s = typeof raw === 'string' ? raw : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : fallback;
}

export function isServiceError(err: unknown): err is ServiceError {
  return err instanceof ServiceError;
}
