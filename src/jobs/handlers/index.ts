import type { JobHandler } from '../job.js';
import { backupJob } from './backup.js';
import { cleanupExpiredJob } from './cleanup-expired.js';
import { extractFactsJob } from './extract-facts.js';
import { fetchPicturesJob } from './fetch-pictures.js';
import { fillCategoriesJob } from './fill-categories.js';
import { harvestOaiJob } from './harvest-oai.js';
import { importFileJob } from './import-file.js';
import { pruneJobsJob } from './prune-jobs.js';
import { sendDigestsJob } from './send-digests.js';

/**
 * Every job type a worker runs: one file per handler in this folder, one line here.
 * To add one: write `handlers/my-job.ts` exporting `defineJob({ type, payload, run })`, list it below.
 */

export const jobHandlers: JobHandler[] = [
  backupJob,
  importFileJob,
  harvestOaiJob,
  pruneJobsJob,
  sendDigestsJob,
  cleanupExpiredJob,
  extractFactsJob,
  fetchPicturesJob,
  fillCategoriesJob,
];
