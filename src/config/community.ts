/**
 * Community settings from the environment: rate limits, submission eligibility, sessions, password cost.
 * Every value has a sensible default; a malformed one is reported with its variable and the fix.
 *
 * @example
 * loadCommunityConfig({ RATE_LIMIT_LOGIN: '10/30/15m', SUBMIT_DAILY_LIMIT: '3' }, problems)
 */
export type RateLimitName = 'login' | 'signup' | 'vote' | 'submit' | 'comment' | 'reset' | 'flag' | 'subscribe';

export interface RateLimit {
  /** Allowed hits per window for one account (0 = no per-account limit). */
  perAccount: number;
  /** Allowed hits per window from one IP address (0 = no per-IP limit). */
  perIp: number;
  windowSeconds: number;
}

export interface CommunityConfig {
  rateLimits: Record<RateLimitName, RateLimit>;
  /** Only papers first published within this many days may be submitted. */
  submitMaxAgeDays: number;
  /** Submissions per user per UTC day; curators and admins are unlimited. */
  submitDailyLimit: number;
  /** Submitting needs a verified email address. */
  submitRequireVerified: boolean;
  /** New accounts may not submit or flag for this many hours. */
  newAccountHours: number;
  /** Session lifetime in days (rotated at every login). */
  sessionDays: number;
  /** scrypt cost as log2(N); 15 → N = 32768, about 32 MiB and ~0.1 s per hash. */
  passwordLogN: number;
  /** Minimum password length in characters. */
  passwordMinChars: number;
}

const SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;

const DEFAULT_RATE_LIMITS: Record<RateLimitName, RateLimit> = {
  login: { perAccount: 10, perIp: 30, windowSeconds: 15 * 60 },
  signup: { perAccount: 0, perIp: 5, windowSeconds: 3600 },
  vote: { perAccount: 120, perIp: 1200, windowSeconds: 60 },
  submit: { perAccount: 20, perIp: 60, windowSeconds: 86400 },
  comment: { perAccount: 10, perIp: 60, windowSeconds: 10 * 60 },
  reset: { perAccount: 3, perIp: 10, windowSeconds: 3600 },
  flag: { perAccount: 30, perIp: 100, windowSeconds: 3600 },
  // Each subscribe may send a confirmation mail: a form on every page must not become a mail cannon.
  subscribe: { perAccount: 0, perIp: 20, windowSeconds: 3600 },
};
const DEFAULT_SUBMIT_MAX_AGE_DAYS = 14;
const DEFAULT_SUBMIT_DAILY_LIMIT = 5;
const DEFAULT_NEW_ACCOUNT_HOURS = 24;
const DEFAULT_SESSION_DAYS = 30;
const DEFAULT_PASSWORD_LOG_N = 15;
const PASSWORD_MIN_CHARS = 10;

/** `perAccount/perIp/window`, window like `90s`, `15m`, `1h`, `1d`. */
function parseRateLimit(raw: string): RateLimit | null {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*\/\s*(\d+)\s*([smhd])\s*$/.exec(raw);
  if (!m) return null;
  const windowSeconds = Number(m[3]) * SECONDS[m[4] as keyof typeof SECONDS];
  if (windowSeconds <= 0) return null;
  return { perAccount: Number(m[1]), perIp: Number(m[2]), windowSeconds };
}

/** A whole-number variable in [min, max], or `def` when unset; a bad value is reported in `problems`. */
export function intVar(
  env: NodeJS.ProcessEnv,
  name: string,
  def: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}"). Fix: ${name}=${def}.`);
    return def;
  }
  return n;
}

export function loadCommunityConfig(env: NodeJS.ProcessEnv, problems: string[]): CommunityConfig {
  const rateLimits = { ...DEFAULT_RATE_LIMITS };
  for (const name of Object.keys(DEFAULT_RATE_LIMITS) as RateLimitName[]) {
    const v = `RATE_LIMIT_${name.toUpperCase()}`;
    const raw = env[v];
    if (raw === undefined || raw === '') continue;
    const parsed = parseRateLimit(raw);
    if (!parsed) problems.push(`${v} must be perAccount/perIp/window, e.g. 10/30/15m (got "${raw}").`);
    else rateLimits[name] = parsed;
  }
  const verifiedRaw = (env.SUBMIT_REQUIRE_VERIFIED ?? 'true').toLowerCase();
  if (!['true', 'false', '1', '0'].includes(verifiedRaw))
    problems.push(`SUBMIT_REQUIRE_VERIFIED must be true or false (got "${env.SUBMIT_REQUIRE_VERIFIED}").`);
  return {
    rateLimits,
    submitMaxAgeDays: intVar(env, 'SUBMIT_MAX_AGE_DAYS', DEFAULT_SUBMIT_MAX_AGE_DAYS, 1, 100000, problems),
    submitDailyLimit: intVar(env, 'SUBMIT_DAILY_LIMIT', DEFAULT_SUBMIT_DAILY_LIMIT, 0, 100000, problems),
    submitRequireVerified: verifiedRaw === 'true' || verifiedRaw === '1',
    newAccountHours: intVar(env, 'NEW_ACCOUNT_HOURS', DEFAULT_NEW_ACCOUNT_HOURS, 0, 100000, problems),
    sessionDays: intVar(env, 'SESSION_DAYS', DEFAULT_SESSION_DAYS, 1, 3650, problems),
    passwordLogN: intVar(env, 'PASSWORD_SCRYPT_LOG_N', DEFAULT_PASSWORD_LOG_N, 10, 20, problems),
    passwordMinChars: PASSWORD_MIN_CHARS,
  };
}
