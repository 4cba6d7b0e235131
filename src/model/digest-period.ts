/**
 * Digest periods, pure. A period key names one digest a subscriber may receive:
 * `daily:2026-06-16` (a weekday, in the subscriber's time zone) or `weekly:2026-W25` (ISO week).
 * The outbox is unique on (subscriber, period key), so the key is what "exactly once" is about.
 *
 * @example
 * periodKey('daily', '2026-06-16')  // 'daily:2026-06-16'
 * periodKey('weekly', '2026-06-16') // 'weekly:2026-W25'
 * periodWindow('daily', '2026-06-15') // { from: '2026-06-12', to: '2026-06-15' } (Monday: Fri–Sun)
 */
export type Period = 'daily' | 'weekly';

/** Weekly digests go out on this ISO weekday (1 = Monday), at the subscriber's hour. */
const WEEKLY_SEND_ISO_WEEKDAY = 1;
/** A weekly digest covers the papers that entered the list in the days before its send day. */
const WEEKLY_WINDOW_DAYS = 7;
const MS_PER_DAY = 86_400_000;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(s: string): boolean {
  if (!DAY_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** ISO weekday of a YYYY-MM-DD day: 1 = Monday … 7 = Sunday. */
function isoWeekday(day: string): number {
  const d = new Date(`${day}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function isWeekday(day: string): boolean {
  return isoWeekday(day) <= 5;
}

/** ISO-8601 week of a day, e.g. 2026-W25 (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(day: string): string {
  const thursday = addDays(day, 4 - isoWeekday(day));
  const year = Number(thursday.slice(0, 4));
  const jan1 = Date.parse(`${year}-01-01T00:00:00Z`);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - jan1) / MS_PER_DAY / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodKey(period: Period, day: string): string {
  return period === 'daily' ? `daily:${day}` : `weekly:${isoWeek(day)}`;
}

/**
 * The entry days a digest sent on `day` covers, as [from, to) YYYY-MM-DD. A daily digest covers the
 * days since the previous weekday (Monday's covers Friday to Sunday), a weekly one the 7 days before.
 */
export function periodWindow(period: Period, day: string): { from: string; to: string } {
  if (period === 'weekly') return { from: addDays(day, -WEEKLY_WINDOW_DAYS), to: day };
  let from = addDays(day, -1);
  while (!isWeekday(from)) from = addDays(from, -1);
  return { from, to: day };
}

/** Is a digest of this period sent on this (local) day at all? Daily: weekdays; weekly: one weekday. */
export function isSendDay(period: Period, day: string): boolean {
  return period === 'daily' ? isWeekday(day) : isoWeekday(day) === WEEKLY_SEND_ISO_WEEKDAY;
}

/** True when `zone` is an IANA time zone this runtime knows. */
const knownZones = new Set<string>();

export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    knownZones.add(zone);
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Local calendar day and hour of an instant in a time zone. */
export function localDayAndHour(instant: Date, zone: string): { day: string; hour: number } {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(instant)) parts[p.type] = p.value;
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

/**
 * Which digest (if any) is due for a subscriber at `now`: their local day must be a send day and
 * their local hour at or past their send hour. Due all the rest of that day, so a worker that was
 * down at the hour still sends later; the outbox's unique key stops a second send.
 *
 * @example
 * dueDigestDay('daily', 8, 'Europe/Paris', new Date('2026-06-16T06:30:00Z')) // '2026-06-16' (08:30 local)
 */
export function dueDigestDay(period: Period, sendHour: number, zone: string, now: Date): string | null {
  const { day, hour } = localDayAndHour(now, zone);
  if (!isSendDay(period, day) || hour < sendHour) return null;
  return day;
}

/** Monday of a day's ISO week. */
export function mondayOf(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/**
 * The send day a period key stands for: the day itself for daily keys, the week's Monday for
 * weekly ones (a weekly digest is sent on the Monday and covers the 7 days before it).
 */
export function periodKeyDay(key: string): { period: Period; day: string } | null {
  let m = /^daily:(\d{4}-\d{2}-\d{2})$/.exec(key);
  if (m && isDay(m[1])) return { period: 'daily', day: m[1] };
  m = /^weekly:(\d{4})-W(\d{2})$/.exec(key);
  if (!m) return null;
  const week1Monday = mondayOf(`${m[1]}-01-04`);
  return { period: 'weekly', day: addDays(week1Monday, (Number(m[2]) - 1) * 7) };
}
