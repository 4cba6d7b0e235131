/**
 * How long to wait before retrying work that failed: doubling from a base, capped, then spread by
 * a random factor so that many rows that failed together (an SMTP server that said "try later" to
 * a whole batch, an upstream that was down for every job) do not all come back at the same instant.
 */
export interface BackoffPolicy {
  /** Wait after the first failure, before jitter. */
  baseMs: number;
  /** Longest wait before jitter; with jitter a wait is at most `maxMs × (1 + jitter)`. */
  maxMs: number;
  /** Fraction the wait is spread by either way: 0.2 → from 80 % to 120 % of the doubled wait. */
  jitter: number;
}

/** Jitter both queues use unless told otherwise: ±20 %. */
export const DEFAULT_BACKOFF_JITTER = 0.2;

/**
 * Wait before retry number `attempt` (1 = after the first failure). `random` returns [0, 1).
 *
 * @example
 * backoffMs(1, { baseMs: 30_000, maxMs: 3_600_000, jitter: 0 }) // 30 s
 * backoffMs(3, { baseMs: 30_000, maxMs: 3_600_000, jitter: 0 }) // 120 s
 * backoffMs(3, { baseMs: 30_000, maxMs: 3_600_000, jitter: 0.2 }) // 96 s to 144 s
 */
export function backoffMs(attempt: number, p: BackoffPolicy, random: () => number = Math.random): number {
  const doubled = Math.min(p.baseMs * 2 ** Math.max(0, attempt - 1), p.maxMs);
  return Math.round(doubled * (1 - p.jitter + 2 * p.jitter * random()));
}
