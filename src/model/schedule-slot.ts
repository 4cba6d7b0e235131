/**
 * Time slots of recurring jobs. A slot is `[start, start + interval)`, aligned to the Unix epoch
 * (UTC) plus an offset: interval 1 day, offset 6 h → every day at 06:00 UTC; interval 15 min,
 * offset 0 → :00, :15, :30, :45. Every worker computes the same slot for the same instant, so a
 * slot's job key (`name@slot-start`) is the same everywhere and the job is enqueued once.
 *
 * @example
 * slotStart(new Date('2026-01-02T07:00:00Z'), 24 * 60, 6 * 60) // 2026-01-02T06:00:00.000Z
 * slotStart(new Date('2026-01-02T05:00:00Z'), 24 * 60, 6 * 60) // 2026-01-01T06:00:00.000Z
 */
const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR;

export function slotStart(now: Date, intervalMinutes: number, offsetMinutes = 0): Date {
  if (!(intervalMinutes > 0) || !Number.isFinite(intervalMinutes))
    throw new Error(`schedule: interval must be a positive number of minutes (got ${intervalMinutes})`);
  if (!(offsetMinutes >= 0 && offsetMinutes < intervalMinutes)) {
    throw new Error(
      `schedule: offset must be from 0 to less than the interval (${intervalMinutes} min), got ${offsetMinutes}`,
    );
  }
  const period = intervalMinutes * MS_PER_MINUTE;
  const offset = offsetMinutes * MS_PER_MINUTE;
  return new Date(Math.floor((now.getTime() - offset) / period) * period + offset);
}

/** The key that makes a slot's job unique across workers. */
export function slotKey(name: string, start: Date): string {
  return `${name}@${start.toISOString()}`;
}
