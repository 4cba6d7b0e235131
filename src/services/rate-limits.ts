import type { App } from '../app.js';
import type { RateLimitName } from '../config/community.js';
import { AppError } from '../lib/app-error.js';
import { hitRateLimit, pruneRateLimits } from '../store/rate-limit-store.js';

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
  const nowSec = Math.floor(app.clock.now().getTime() / 1000);
  const windowStart = nowSec - (nowSec % limit.windowSeconds);
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
