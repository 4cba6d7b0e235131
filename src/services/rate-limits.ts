import type { App } from '../app.js';
import type { RateLimitName } from '../config/community.js';
import { AppError } from '../lib/app-error.js';
import { deleteRateLimitsExcept, hitRateLimit, pruneRateLimits } from '../store/rate-limit-store.js';

const nowSeconds = (app: App) => Math.floor(app.clock.now().getTime() / 1000);
/** Fixed windows, aligned to the epoch: every process agrees on the current one. */
const windowStartOf = (nowSec: number, windowSeconds: number) => nowSec - (nowSec % windowSeconds);

/**
 * Named rate limits, counted in the database (fixed windows) so they hold across processes.
 * A hit over the limit throws `rate_limited` with the seconds until the window ends (Retry-After).
 *
 * @example
 * await rateLimit(app, 'login', { account: 'ada', ip: '203.0.113.9' });
 */
export async function rateLimit(
  app: App,
  name: RateLimitName,
  who: { account?: string | number; ip?: string },
): Promise<void> {
  const limit = app.config.community.rateLimits[name];
  const nowSec = nowSeconds(app);
  const windowStart = windowStartOf(nowSec, limit.windowSeconds);
  const retryAfterSeconds = Math.max(1, windowStart + limit.windowSeconds - nowSec);
  const checks: Array<[string, number]> = [];
  if (who.account !== undefined && limit.perAccount > 0)
    checks.push([`account:${String(who.account).toLowerCase()}`, limit.perAccount]);
  if (who.ip && limit.perIp > 0) checks.push([`ip:${who.ip}`, limit.perIp]);
  for (const [subject, max] of checks) {
    const hits = await hitRateLimit(app.db, name, subject, windowStart);
    // The first hit of a window is a cheap moment to forget windows that are over.
    if (hits === 1) await pruneRateLimits(app.db, name, windowStart);
    if (hits > max) {
      throw new AppError('rate_limited', `Too many ${name} attempts; try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      });
    }
  }
}

/**
 * Delete every counter of a window that is over, and of limits that no longer exist. `rateLimit`
 * forgets a limit's ended windows on the first hit of a new one, so a limit nobody hits again
 * keeps its last windows until this runs (the cleanup job). Idempotent; returns how many rows went.
 */
export async function pruneEndedRateLimits(app: App): Promise<number> {
  const nowSec = nowSeconds(app);
  const limits = Object.entries(app.config.community.rateLimits);
  let deleted = await deleteRateLimitsExcept(
    app.db,
    limits.map(([name]) => name),
  );
  for (const [name, limit] of limits)
    deleted += await pruneRateLimits(app.db, name, windowStartOf(nowSec, limit.windowSeconds));
  return deleted;
}
