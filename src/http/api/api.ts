import type { FastifyRequest } from 'fastify';
import type { App } from '../../services/app.js';

/**
 * What an API handler gets. There is no reply object: one render may answer many requests (see
 * http/cache.ts), so headers go in `headers` and are cached with the body.
 */
export interface ApiContext {
  app: App;
  req: FastifyRequest;
  now: Date;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
  /** Response headers to send (and cache) with the answer, e.g. a Link to the next page. */
  headers: Record<string, string>;
}

export type ApiHandler = (ctx: ApiContext) => Promise<unknown>;
