/**
 * Calendar rules for the daily, weekly and monthly lists. Days are `YYYY-MM-DD` strings in UTC
 * (how arXiv and Daily Papers date their lists); weeks are ISO-8601 weeks `YYYY-Www` (Monday first).
 *
 * @example
 * parseDay('2025-02-30')       // null (no such day)
 * isoWeekOf('2025-01-01')      // '2025-W01'
 * weekRange('2025-W01')        // { from: '2024-12-30', to: '2025-01-05' }
 * cardDate('2025-06-06T…', new Date('2025-11-12')) // 'Jun 6'; a date in another year: 'Nov 17, 2024'
 */
const MS_PER_DAY = 86_400_000;
const DAYS_PER_WEEK = 7;
/** Dates outside this range are refused: they are typos, and JavaScript dates misbehave far out. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2999;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface DayRange {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

function toDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function utc(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m - 1, d));
}

/** The day if `s` is a real calendar day `YYYY-MM-DD`, else null. */
export function parseDay(s: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  const date = utc(y, mo, d);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? s : null;
}

export function addDays(day: string, n: number): string {
  return toDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * MS_PER_DAY));
}

/** The ISO week `YYYY-Www` a day falls in. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(d.getTime() + (3 - weekday) * MS_PER_DAY);
  const year = thursday.getUTCFullYear();
  const jan1 = utc(year, 1, 1);
  const week = Math.floor((thursday.getTime() - jan1.getTime()) / MS_PER_DAY / DAYS_PER_WEEK) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday to Sunday of an ISO week, or null when `s` is not a week of that year. */
export function weekRange(s: string): DayRange | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, w] = [Number(m[1]), Number(m[2])];
  if (y < MIN_YEAR || y > MAX_YEAR || w < 1) return null;
  // The week containing January 4th is week 1.
  const jan4 = utc(y, 1, 4);
  const monday1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * MS_PER_DAY);
  const from = toDay(new Date(monday1.getTime() + (w - 1) * DAYS_PER_WEEK * MS_PER_DAY));
  if (isoWeekOf(from) !== s) return null; // week 53 in a 52-week year
  return { from, to: addDays(from, DAYS_PER_WEEK - 1) };
}

export function addWeeks(week: string, n: number): string {
  const r = weekRange(week);
  if (!r) throw new Error(`dates: not an ISO week: ${week}`);
  return isoWeekOf(addDays(r.from, n * DAYS_PER_WEEK));
}

/** First and last day of a month `YYYY-MM`, or null. */
export function monthRange(s: string): DayRange | null {
  const m = /^(\d{4})-(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12) return null;
  return { from: toDay(utc(y, mo, 1)), to: toDay(utc(y, mo + 1, 0)) };
}

export function addMonths(month: string, n: number): string {
  const [y, mo] = month.split('-').map(Number);
  return toDay(utc(y, mo + n, 1)).slice(0, 7);
}

/** "Jun 6" within `now`'s year, "Nov 17, 2024" before or after it (the card date of the seed page). */
export function cardDate(iso: string, now: Date): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return '';
  const s = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  return d.getUTCFullYear() === now.getUTCFullYear() ? s : `${s}, ${d.getUTCFullYear()}`;
}

/** "June 6, 2025" style, for headings. */
export function longDate(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return d.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'long', day: 'numeric', year: 'numeric' });
}

export function monthName(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return d.toLocaleDateString('en-US', { timeZone: 'UTC', month: 'long', year: 'numeric' });
}
