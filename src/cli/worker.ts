import type { Command } from 'commander';
import { type App, assertSchemaCurrent, openApp } from '../app.js';
import { startWorker, type Worker } from '../jobs/queue.js';
import { finishWithin, stopOnSignals } from '../lib/shutdown.js';

function runWorker(app: App, concurrency: number): Worker {
  return startWorker(app, { concurrency });
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run queued and scheduled jobs (imports, harvests, digests …) until stopped; run as many as you like.')
    .option('--concurrency <n>', 'jobs run at once by this process', '1')
    .action(async (opts: { concurrency: string }) => {
      const concurrency = Number(opts.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        console.error(
          `paperboy worker: --concurrency must be a whole number of at least 1 (got "${opts.concurrency}").`,
        );
        process.exitCode = 2;
        return;
      }
      const app = await openApp();
      await assertSchemaCurrent(app.db);
      const worker = runWorker(app, concurrency);
      console.error(`paperboy worker ${worker.id} is running (${app.db.dialect})`);
      // The running job step finishes (or, past the deadline, its lease expires for another worker).
      stopOnSignals(app.log, async (deadlineMs) => {
        const done = await finishWithin(worker.stop(), deadlineMs);
        if (done) await app.close();
        return done;
      });
    });
}
