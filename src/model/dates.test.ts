import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addWeeks, cardDate, isoWeekOf, monthRange, parseDay, weekRange } from './dates.js';

describe('dates', () => {
  it('accepts real days only', () => {
    expect(parseDay('2024-02-29')).toBe('2024-02-29');
    expect(parseDay('2025-02-29')).toBeNull();
    expect(parseDay('2025-13-01')).toBeNull();
    expect(parseDay('2025-1-01')).toBeNull();
    expect(parseDay('0001-01-01')).toBeNull();
  });
  it('steps days across months and years', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('computes ISO weeks', () => {
    expect(isoWeekOf('2025-01-01')).toBe('2025-W01');
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01');
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53');
    expect(weekRange('2025-W01')).toEqual({ from: '2024-12-30', to: '2025-01-05' });
    expect(weekRange('2020-W53')).toEqual({ from: '2020-12-28', to: '2021-01-03' });
    expect(weekRange('2025-W53')).toBeNull();
    expect(weekRange('2025-W00')).toBeNull();
    expect(addWeeks('2025-W01', -1)).toBe('2024-W52');
  });
  it('computes months', () => {
    expect(monthRange('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(monthRange('2024-13')).toBeNull();
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-12', 1)).toBe('2025-01');
  });
  it('formats card dates like the seed page', () => {
    const now = new Date('2025-11-12T12:00:00Z');
    expect(cardDate('2025-06-06T10:00:00Z', now)).toBe('Jun 6');
    expect(cardDate('2024-11-17', now)).toBe('Nov 17, 2024');
  });
});
