import { z } from 'zod';
import { sendDigests } from '../../services/digests.js';
import { defineJob } from '../job.js';

/**
 * Send the digests that are due now: each subscriber's by their own hour and time zone (daily on
 * weekdays, weekly on Mondays). Scheduled every few minutes (schedule.ts), so a digest leaves within
 * one interval of its hour. Idempotent by construction: the outbox holds one row per subscriber and
 * period, so a rerun, a retry or a second worker sends nothing twice; rows deferred by a temporary
 * SMTP failure, or left by a crashed sender, are picked up by the next run.
 */
export const sendDigestsJob = defineJob({
  type: 'send-digests',
  payload: z.object({
    periods: z.array(z.enum(['daily', 'weekly'])).min(1),
    /** The instant that decides who is due (default: now); for replaying a missed moment. */
    at: z.iso.datetime().optional(),
  }),
  async run({ app, signal, log }, { periods, at }) {
    if (!app.mailer) return { skipped: 'mail is off (SMTP_URL is not set)' };
    const out: Record<string, unknown> = {};
    for (const period of periods) {
      const r = await sendDigests(app, { period, at: at ? new Date(at) : undefined, waitForRetries: false, signal });
      for (const s of r.suppressed)
        log.warn({ email: s.email, reason: s.reason }, 'digest address suppressed after a permanent failure');
      out[period] = {
        run: r.runId,
        periodKeys: r.periodKeys,
        enqueued: r.enqueued,
        empty: r.empty,
        sent: r.sent,
        deferred: r.deferred,
        failed: r.failed,
      };
    }
    return out;
  },
});
