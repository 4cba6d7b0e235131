import type { Command } from 'commander';
import { openApp } from '../app.js';
import { addJob, isJobState, listJobsForAdmin, retryJobById } from '../services/jobs.js';
import { JOB_STATES } from '../store/job-store.js';

function fail(message: string): void {
  console.error(message);
  process.exitCode = 2;
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('List, add and retry background jobs.');
  jobs
    .command('list', { isDefault: true })
    .description('List jobs, newest first (the default: `paperboy jobs --state dead`).')
    .option('--state <state>', `only jobs in this state: ${JOB_STATES.join(', ')}`)
    .option('--type <type>', 'only jobs of this type')
    .option('--limit <n>', 'at most this many', '50')
    .option('--json', 'print as JSON')
    .action(async (opts: { state?: string; type?: string; limit: string; json?: boolean }) => {
      if (opts.state !== undefined && !isJobState(opts.state))
        return fail(`paperboy jobs: --state must be one of ${JOB_STATES.join(', ')} (got "${opts.state}").`);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1)
        return fail(`paperboy jobs: --limit must be a whole number of at least 1 (got "${opts.limit}").`);
      const app = await openApp({ migrate: true });
      try {
        const { jobs: list, counts } = await listJobsForAdmin(app, { state: opts.state, type: opts.type, limit });
        if (opts.json) {
          console.log(JSON.stringify({ counts, jobs: list }, null, 2));
          return;
        }
        console.log(JOB_STATES.map((s) => `${s} ${counts[s]}`).join(', '));
        for (const j of list) {
          const error = j.lastError ? `  ${j.lastError.split('\n')[0].slice(0, 100)}` : '';
          console.log(
            `${String(j.id).padStart(6)}  ${j.state.padEnd(7)}  ${j.type.padEnd(14)}  ${j.attempts}/${j.maxAttempts}  ${j.runAt}  ${JSON.stringify(j.payload).slice(0, 60)}${error}`,
          );
        }
      } finally {
        await app.close();
      }
    });
  jobs
    .command('add')
    .description('Queue a job: `paperboy jobs add import-file \'{"format":"kaggle","files":["snapshot.json.gz"]}\'`.')
    .argument('<type>', 'job type (see src/jobs/handlers)')
    .argument('[payload]', 'payload as JSON', '{}')
    .option('--key <key>', 'dedupe key: a job with this key is added only once')
    .option('--run-at <iso-date>', 'not before this time')
    .action(async (type: string, payloadText: string, opts: { key?: string; runAt?: string }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(payloadText);
      } catch {
        return fail(`paperboy jobs add: the payload is not valid JSON: ${payloadText.slice(0, 80)}`);
      }
      const runAt = opts.runAt === undefined ? undefined : new Date(opts.runAt);
      if (runAt && Number.isNaN(runAt.getTime()))
        return fail(`paperboy jobs add: --run-at is not a date (got "${opts.runAt}").`);
      const app = await openApp({ migrate: true });
      try {
        const r = await addJob(app, type, payload, { dedupeKey: opts.key, runAt });
        console.log(r.inserted ? `queued job ${r.id}` : `job ${r.id} already exists with key ${opts.key}`);
      } catch (err) {
        fail((err as Error).message);
      } finally {
        await app.close();
      }
    });
  jobs
    .command('retry')
    .description('Put a dead, failed or finished job back in the queue with fresh attempts.')
    .argument('<id>', 'job id')
    .action(async (idText: string) => {
      const id = Number(idText);
      if (!Number.isInteger(id) || id < 1)
        return fail(`paperboy jobs retry: the id must be a positive whole number (got "${idText}").`);
      const app = await openApp({ migrate: true });
      try {
        if (await retryJobById(app, id)) console.log(`job ${id} queued again`);
        else fail(`paperboy jobs retry: job ${id} does not exist or is queued or running.`);
      } finally {
        await app.close();
      }
    });
}
