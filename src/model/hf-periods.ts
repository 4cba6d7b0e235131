import { addDays, type DayRange, monthRange, weekRange } from './dates.js';

/**
 * The day ranges Hugging Face's `/api/daily_papers` means by `week` and `month`, which are not the
 * calendar's. The site's own week and month pages keep ISO weeks and calendar months (dates.ts);
 * the API follows Hugging Face, so a client written for it gets the same papers.
 *
 * - `week=YYYY-Www`: from the Friday before the ISO week's Monday to the week's Sunday. Weekend
 *   submissions belong to the next week, and Friday's list, whose papers arXiv published over the
 *   weekend, too; consecutive weeks therefore share their Friday-to-Sunday days.
 * - `month=YYYY-MM`: from the last day of the previous month to the month's last day.
 *
 * Days are Daily Papers days (UTC), inclusive at both ends.
 *
 * @example
 * hfWeekRange('2025-W24')  // { from: '2025-06-06', to: '2025-06-15' }  (Fri 6 June to Sun 15 June)
 * hfMonthRange('2025-06')  // { from: '2025-05-31', to: '2025-06-30' }
 * hfWeekRange('2025-W60')  // null
 */

/** Days the week reaches back before its Monday: Friday, Saturday and Sunday. */
const HF_WEEK_DAYS_BEFORE_MONDAY = 3;
/** Days the month reaches back before its first day: the previous month's last day. */
const HF_MONTH_DAYS_BEFORE_FIRST = 1;

export function hfWeekRange(week: string): DayRange | null {
  const iso = weekRange(week);
  return iso ? { from: addDays(iso.from, -HF_WEEK_DAYS_BEFORE_MONDAY), to: iso.to } : null;
}

export function hfMonthRange(month: string): DayRange | null {
  const cal = monthRange(month);
  return cal ? { from: addDays(cal.from, -HF_MONTH_DAYS_BEFORE_FIRST), to: cal.to } : null;
}
