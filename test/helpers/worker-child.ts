// A worker process for the queue tests. "block" announces itself and never ends, so a test can
// SIGKILL the process mid-job; "record" appends its job id to TEST_RUN_LOG (O_APPEND: one short
// write per line is atomic), so a test can count how often each job ran across processes.
import fs from 'node:fs';
import pino from 'pino';
import { z } from 'zod';
import { openApp } from '../../src/app.js';
import { defineJob } from '../../src/jobs/job.js';
import { startWorker } from '../../src/jobs/queue.js';

const block = defineJob({
  type: 'block',
  payload: z.object({}),
  async run({ jobId }) {
    process.stdout.write(`started ${jobId}\n`);
    await new Promise(() => {});
  },
});

const record = defineJob({
  type: 'record',
  payload: z.object({}),
  async run({ jobId }) {
    // Long enough that jobs overlap across the two processes.
    await new Promise((r) => setTimeout(r, 20));
    fs.appendFileSync(process.env.TEST_RUN_LOG!, `${jobId} ${process.pid}\n`);
  },
});

const app = await openApp();
startWorker(app, {
  handlers: [block, record],
  concurrency: 2,
  schedule: [],
  leaseMs: Number(process.env.TEST_LEASE_MS),
  pollIntervalMs: 10,
  log: pino({ level: 'silent' }),
});
process.stdout.write('ready\n');
