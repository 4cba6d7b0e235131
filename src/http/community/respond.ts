import type { FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS, ServiceError } from '../../services/errors.js';
import { communityPage, type PageFrame } from '../ui/community-layout.js';

/**
 * Response helpers for community pages: framed HTML with no-store caching (forms carry CSRF
 * tokens) and a strict Content-Security-Policy (no inline script can run even if markup slipped
 * through the sanitiser), and one mapping from a ServiceError to a status.
 */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function sendPage(req: FastifyRequest, reply: FastifyReply, title: string, body: string, opts: { status?: number; flash?: PageFrame['flash'] } = {}) {
  return reply
    .code(opts.status ?? 200)
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', PAGE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .type('text/html; charset=utf-8')
    .send(communityPage({ title, actor: req.actor, csrf: req.csrfToken, body, flash: opts.flash }));
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
