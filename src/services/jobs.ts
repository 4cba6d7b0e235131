import type { App } from '../app.js';
import type { JobRow, JobState } from '../db/schema.js';
import { jobHandlers } from '../jobs/handlers/index.js';
import { type EnqueueOptions, enqueueJob } from '../jobs/queue.js';
import { countJobsByState, JOB_STATES, listJobs, retryJob } from '../store/job-store.js';

/** Most jobs one listing returns. */
const MAX_JOBS_LISTED = 500;

export interface JobView {
  id: number;
  type: string;
  state: JobState;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastError: string | null;
  dedupeKey: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toView(j: JobRow): JobView {
  return {
    id: j.id,
    type: j.type,
    state: j.state,
    payload: parseJson(j.payload),
    attempts: j.attempts,
    maxAttempts: j.max_attempts,
    runAt: j.run_at,
    lockedBy: j.locked_by,
    lockedUntil: j.locked_until,
    lastError: j.last_error,
    dedupeKey: j.dedupe_key,
    result: parseJson(j.result),
    createdAt: j.created_at,
    updatedAt: j.updated_at,
    finishedAt: j.finished_at,
  };
}

interface JobListRequest {
  state?: string;
  type?: string;
  limit?: number;
  offset?: number;
}

export function isJobState(s: string): s is JobState {
  return (JOB_STATES as readonly string[]).includes(s);
}

/**
 * Jobs for `paperboy jobs` and the admin page (the admin router guards who may call it), newest
 * first, with the count in each state.
 *
 * @example
 * const { jobs, counts } = await listJobsForAdmin(app, { state: 'dead', limit: 50 });
 */
export async function listJobsForAdmin(
  app: App,
  req: JobListRequest = {},
): Promise<{ jobs: JobView[]; counts: Record<JobState, number> }> {
  if (req.state !== undefined && !isJobState(req.state)) {
    throw new RangeError(`jobs: unknown state "${req.state}". Use one of: ${JOB_STATES.join(', ')}`);
  }
  const limit = Math.min(Math.max(1, req.limit ?? 50), MAX_JOBS_LISTED);
  const rows = await listJobs(app.db, {
    state: req.state as JobState | undefined,
    type: req.type,
    limit,
    offset: Math.max(0, req.offset ?? 0),
  });
  return { jobs: rows.map(toView), counts: await countJobsByState(app.db) };
}

/** Put a dead, failed or finished job back in the queue (admin action); false when it is queued or running. */
export async function retryJobById(app: App, id: number): Promise<boolean> {
  return retryJob(app.db, id, new Date().toISOString());
}

/** Add a job (validated against its handler's payload schema). */
export async function addJob(
  app: App,
  type: string,
  payload: unknown,
  opts: EnqueueOptions = {},
): Promise<{ id: number; inserted: boolean }> {
  return enqueueJob(app.db, type, payload, opts);
}

/** The job types this build runs (the admin console's type filter). */
export function jobTypes(): string[] {
  return jobHandlers.map((h) => h.type);
}
