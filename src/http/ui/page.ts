import type { FastifyRequest } from 'fastify';
import type { SafeHtml } from '../../lib/html-template.js';
import type { App } from '../../services/app.js';
import type { ViewHooks } from './view-hooks.js';

/** What every page handler gets. */
export interface PageContext {
  app: App;
  req: FastifyRequest;
  view: ViewHooks;
  now: Date;
  query: Record<string, string | undefined>;
  params: Record<string, string | undefined>;
}

export type PageResult =
  | { kind: 'html'; body: SafeHtml; status?: number }
  | { kind: 'redirect'; location: string; permanent?: boolean };

export type PageHandler = (ctx: PageContext) => Promise<PageResult>;

export const pageHtml = (body: SafeHtml, status = 200): PageResult => ({ kind: 'html', body, status });
export const redirect = (location: string, permanent = false): PageResult => ({
  kind: 'redirect',
  location,
  permanent,
});
