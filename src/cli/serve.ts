import type { Command } from 'commander';
import { buildServer } from '../http/server.js';
import { setCommunityContext } from '../http/community/routes.js';
import { fetchPaperById } from '../ingest/atom/client.js';
import { createMailer } from '../mail/transport.js';
import { serviceContext } from '../services/context.js';
import { assertSchemaCurrent, openApp, type App } from '../services/app.js';

export async function serve(app: App): Promise<void> {
  // Submissions of papers not yet in the store are looked up on arXiv, unless the site runs offline
  // (ARXIV_LOOKUP=off); without network the look-up fails and the submitter is told to retry.
  const lookup = (process.env.ARXIV_LOOKUP ?? 'on').toLowerCase() !== 'off';
  setCommunityContext(app, serviceContext({ db: app.db, config: app.config, mailer: createMailer(app.config), fetchPaper: lookup ? (id) => fetchPaperById(id) : undefined }));
  const server = await buildServer(app, { logger: true });
  const shutdown = async () => {
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await server.listen({ port: app.config.port, host: app.config.host });
  console.log(`paperboy is serving on ${app.config.baseUrl}`);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the web server (the schema must be current: run `paperboy migrate` first).')
    .action(async () => {
      const app = await openApp();
      await assertSchemaCurrent(app.db);
      await serve(app);
    });
}
