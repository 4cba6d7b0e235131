// A worker process for the lease test: its one job type "block" announces itself and never ends,
// so the test can SIGKILL the process mid-job.
import pino from 'pino';
import { z } from 'zod';
import { defineJob } from '../../src/jobs/job.js';
import { startWorker } from '../../src/jobs/queue.js';
import { openApp } from '../../src/services/app.js';

const block = defineJob({
  type: 'block',
  payload: z.object({}),
  async run({ jobId }) {
    process.stdout.write(`started ${jobId}\n`);
    await new Promise(() => {});
  },
});

const app = await openApp();
startWorker(app, {
  handlers: [block],
  schedule: [],
  leaseMs: Number(process.env.TEST_LEASE_MS),
  pollIntervalMs: 50,
  log: pino({ level: 'silent' }),
});
