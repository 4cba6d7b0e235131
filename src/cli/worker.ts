import type { Command } from 'commander';
import { type App, assertSchemaCurrent, openApp } from '../app.js';
import { startWorker, type Worker } from '../jobs/queue.js';

/**
 * Stop the worker on SIGINT/SIGTERM after its running jobs finish; a second signal exits at once
 * (the jobs' leases then expire and another worker takes them over).
 */
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const onSignal = () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.error('stopping: finishing running jobs (signal again to exit now)');
    stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

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
      stopOnSignals(async () => {
        await worker.stop();
        await app.close();
      });
    });
}
