import type { Command } from 'commander';
import { type App, assertSchemaCurrent, openApp } from '../app.js';
import { drainServer } from '../http/drain.js';
import { buildServer } from '../http/server.js';
import { startWorker } from '../jobs/queue.js';
import { finishWithin, stopOnSignals } from '../lib/shutdown.js';
import { warmForYou } from '../services/recommendations.js';

/**
 * Serve the site; with `worker`, also run the job worker in this process (the small-site default).
 * On SIGINT/SIGTERM, within SHUTDOWN_DEADLINE_MS: stop accepting connections, answer the requests
 * already sent (http/drain.ts), let the running job step finish, close the database, flush the log
 * and exit 0 (1 if the deadline cut something off).
 */
export async function serve(app: App, opts: { worker?: boolean } = {}): Promise<void> {
  const server = await buildServer(app, { requestLog: true });
  await server.listen({ port: app.config.port, host: app.config.host });
  const worker = opts.worker ? startWorker(app) : null;
  // The For you candidate sets, built in slices after the server listens (requests are served
  // between them), so the first /for-you after a start does not build them on its request path.
  warmForYou(app).catch((err: Error) =>
    app.log.warn({ err }, 'recs: start-up warm-up failed; requests build the sets'),
  );
  stopOnSignals(app.log, async (deadlineMs) => {
    const [web, jobs] = await Promise.all([
      drainServer(server, deadlineMs),
      worker ? finishWithin(worker.stop(), deadlineMs) : true,
    ]);
    // A job still running keeps its database handle: exiting drops it, and its lease expires.
    if (jobs) await app.close();
    return web && jobs;
  });
  console.log(`paperboy is serving on ${app.config.baseUrl}${worker ? ' with a job worker' : ''}`);
}

/**
 * Whether `serve` runs the worker too: on SQLite by default (one process is the whole site); on
 * PostgreSQL only with --with-worker (large sites run `paperboy worker` processes beside the web ones).
 */
function serveWithWorker(app: App, opts: { withWorker?: boolean; webOnly?: boolean }): boolean {
  if (opts.webOnly) return false;
  return opts.withWorker ?? app.db.dialect === 'sqlite';
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the web server (the schema must be current: run `paperboy migrate` first).')
    .option('--with-worker', 'also run the job worker in this process (the default on SQLite)')
    .option('--web-only', 'do not run the job worker (the default on PostgreSQL)')
    .action(async (opts: { withWorker?: boolean; webOnly?: boolean }) => {
      if (opts.withWorker && opts.webOnly) {
        console.error('paperboy serve: --with-worker and --web-only contradict each other; give one.');
        process.exitCode = 2;
        return;
      }
      const app = await openApp();
      await assertSchemaCurrent(app.db);
      await serve(app, { worker: serveWithWorker(app, opts) });
    });
}
