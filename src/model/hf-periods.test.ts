import { describe, expect, it } from 'vitest';
import { hfMonthRange, hfWeekRange } from './hf-periods.js';

describe("Hugging Face's API weeks and months", () => {
  it('run a week from the Friday before its Monday to its Sunday', () => {
    // 2025-W24 is Monday 9 June to Sunday 15 June; Friday 6 June opens it.
    expect(hfWeekRange('2025-W24')).toEqual({ from: '2025-06-06', to: '2025-06-15' });
    // Across a year end: 2025-W01 starts Monday 30 December 2024.
    expect(hfWeekRange('2025-W01')).toEqual({ from: '2024-12-27', to: '2025-01-05' });
    // Consecutive weeks share Friday to Sunday.
    const w23 = hfWeekRange('2025-W23')!;
    expect(w23.to).toBe('2025-06-08');
    expect(w23.to >= hfWeekRange('2025-W24')!.from).toBe(true);
  });

  it('run a month from the previous month’s last day', () => {
    expect(hfMonthRange('2025-06')).toEqual({ from: '2025-05-31', to: '2025-06-30' });
    expect(hfMonthRange('2024-03')).toEqual({ from: '2024-02-29', to: '2024-03-31' });
    expect(hfMonthRange('2025-01')).toEqual({ from: '2024-12-31', to: '2025-01-31' });
  });

  it('refuses what is not a week or a month', () => {
    expect(hfWeekRange('2025-W53')).toBeNull();
    expect(hfWeekRange('2025-24')).toBeNull();
    expect(hfMonthRange('2025-13')).toBeNull();
    expect(hfMonthRange('2025-6')).toBeNull();
  });
});
