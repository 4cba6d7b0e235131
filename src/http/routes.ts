import type { FastifyInstance } from 'fastify';
import type { App } from '../services/app.js';
import { escapeHtml } from '../lib/html.js';
import { registerCommunity } from './community/routes.js';

/** The one route table of the site (pages, API and feeds register here). */
export async function registerRoutes(server: FastifyInstance, app: App): Promise<void> {
  server.get('/healthz', async () => ({ ok: true }));
  server.get('/', async (_req, reply) => {
    const papers = await app.db.kysely
      .selectFrom('papers')
      .select(['arxiv_id', 'title', 'author_count'])
      .orderBy('published_at', 'desc')
      .orderBy('arxiv_id', 'desc')
      .limit(30)
      .execute();
    const items = papers
      .map((p) => `<li><a href="https://arxiv.org/abs/${escapeHtml(p.arxiv_id)}">${escapeHtml(p.title)}</a> · ${p.author_count} authors</li>`)
      .join('\n');
    reply.type('text/html; charset=utf-8');
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>paperboy</title></head><body><h1>Daily Papers</h1><ol>${items}</ol></body></html>`;
  });
  // Accounts, votes, submissions, discussion, moderation, organisations, and their API.
  await registerCommunity(server, app);
}
