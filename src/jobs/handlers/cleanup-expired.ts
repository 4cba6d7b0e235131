import { z } from 'zod';
import { pruneEndedRateLimits } from '../../services/rate-limits.js';
import { deleteExpiredSessions, deleteSpentOneTimeTokens } from '../../store/session-store.js';
import { defineJob } from '../job.js';

/**
 * Delete what can no longer be used, so these tables stop growing with every sign-in, mailed link
 * and rate-limited request: expired sessions, used or expired one-time tokens, and rate-limit
 * counters of windows that are over. Idempotent: a second run deletes nothing more.
 */
export const cleanupExpiredJob = defineJob({
  type: 'cleanup-expired',
  payload: z.object({}),
  async run({ app }) {
    const now = app.clock.now().toISOString();
    return {
      sessions: await deleteExpiredSessions(app.db, now),
      oneTimeTokens: await deleteSpentOneTimeTokens(app.db, now),
      rateLimitCounters: await pruneEndedRateLimits(app),
    };
  },
});
