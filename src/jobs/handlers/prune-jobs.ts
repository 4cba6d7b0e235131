import { z } from 'zod';
import { deleteFinishedJobs } from '../../store/job-store.js';
import { defineJob } from '../job.js';

const MS_PER_DAY = 86_400_000;

/** Delete jobs that finished more than `keepDays` ago, so the jobs table stays small; dead jobs stay. */
export const pruneJobsJob = defineJob({
  type: 'prune-jobs',
  payload: z.object({ keepDays: z.number().int().min(1) }),
  async run({ app }, { keepDays }) {
    const before = new Date(Date.now() - keepDays * MS_PER_DAY).toISOString();
    return { deleted: await deleteFinishedJobs(app.db, before) };
  },
});
