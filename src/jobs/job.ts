import type { Logger } from 'pino';
import type { z } from 'zod';
import type { App } from '../app.js';

/** What a handler gets besides its payload. */
export interface JobContext {
  app: App;
  jobId: number;
  /** 1 on the first try. */
  attempt: number;
  maxAttempts: number;
  log: Logger;
  /** Aborted when the worker stops or loses the job's lease: stop at the next safe point. */
  signal: AbortSignal;
}

/**
 * One job type: its name, its payload schema and what it does. Handlers must be idempotent: a job
 * may run again after a crash or a lost lease (house rule 8).
 */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds handlers of every payload type
export interface JobHandler<P = any> {
  type: string;
  payload: z.ZodType<P>;
  /** Attempts before the dead-letter state (default DEFAULT_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** The returned value (JSON-serialisable) is kept as the job's result. */
  run(ctx: JobContext, payload: P): Promise<unknown>;
}

/**
 * Declare a job type with a typed, validated payload.
 *
 * @example
 * export const pruneJobs = defineJob({
 *   type: 'prune-jobs',
 *   payload: z.object({ keepDays: z.number().int().positive() }),
 *   run: async ({ app }, { keepDays }) => ({ deleted: await deleteFinishedJobs(app.db, cutoff(keepDays)) }),
 * });
 */
export function defineJob<S extends z.ZodType>(h: {
  type: string;
  payload: S;
  maxAttempts?: number;
  run(ctx: JobContext, payload: z.output<S>): Promise<unknown>;
}): JobHandler<z.output<S>> {
  // zod's generic S is its own schema type; as a handler it is the schema of its output.
  return h as unknown as JobHandler<z.output<S>>;
}

/** A failure that retrying cannot fix (bad input): the job goes straight to the dead-letter state. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
