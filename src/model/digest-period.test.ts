import { describe, expect, it } from 'vitest';
import {
  dueDigestDay,
  isDay,
  isoWeek,
  isSendDay,
  isTimeZone,
  localDayAndHour,
  mondayOf,
  periodKey,
  periodKeyDay,
  periodWindow,
} from './digest-period.js';

describe('digest periods', () => {
  it('names ISO weeks, including the year edges', () => {
    expect(isoWeek('2026-06-16')).toBe('2026-W25');
    expect(isoWeek('2021-01-03')).toBe('2020-W53');
    expect(isoWeek('2024-12-30')).toBe('2025-W01');
    expect(periodKey('weekly', '2026-06-15')).toBe(periodKey('weekly', '2026-06-21'));
    expect(periodKey('daily', '2026-06-16')).toBe('daily:2026-06-16');
  });
  it('covers Friday to Sunday on Monday, the previous day otherwise', () => {
    expect(periodWindow('daily', '2026-06-15')).toEqual({ from: '2026-06-12', to: '2026-06-15' });
    expect(periodWindow('daily', '2026-06-16')).toEqual({ from: '2026-06-15', to: '2026-06-16' });
    expect(periodWindow('weekly', '2026-06-15')).toEqual({ from: '2026-06-08', to: '2026-06-15' });
  });
  it('sends daily on weekdays and weekly on Mondays', () => {
    expect(isSendDay('daily', '2026-06-13')).toBe(false); // Saturday
    expect(isSendDay('daily', '2026-06-12')).toBe(true);
    expect(isSendDay('weekly', '2026-06-15')).toBe(true);
    expect(isSendDay('weekly', '2026-06-16')).toBe(false);
  });
  it('reads local time in a time zone and knows when a digest is due', () => {
    expect(localDayAndHour(new Date('2026-06-16T23:30:00Z'), 'Asia/Tokyo')).toEqual({ day: '2026-06-17', hour: 8 });
    expect(dueDigestDay('daily', 8, 'Europe/Paris', new Date('2026-06-16T05:59:00Z'))).toBeNull();
    expect(dueDigestDay('daily', 8, 'Europe/Paris', new Date('2026-06-16T06:00:00Z'))).toBe('2026-06-16');
    // Friday 23:30 UTC is Saturday in Tokyo: no daily digest there.
    expect(dueDigestDay('daily', 8, 'Asia/Tokyo', new Date('2026-06-19T23:30:00Z'))).toBeNull();
  });
  it('validates days and zones', () => {
    expect(isDay('2026-02-30')).toBe(false);
    expect(isDay('2026-02-28')).toBe(true);
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('period key days', () => {
  it('maps keys back to their send day', () => {
    expect(periodKeyDay('daily:2026-06-16')).toEqual({ period: 'daily', day: '2026-06-16' });
    expect(periodKeyDay('weekly:2026-W25')).toEqual({ period: 'weekly', day: '2026-06-15' });
    expect(periodKeyDay(periodKey('weekly', '2021-01-03'))).toEqual({ period: 'weekly', day: '2020-12-28' });
    expect(periodKeyDay('weekly:junk')).toBeNull();
    expect(mondayOf('2026-06-21')).toBe('2026-06-15');
  });
});
